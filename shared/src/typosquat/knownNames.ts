import type { Ecosystem } from '../model';

/**
 * Names that are in the popular lists but must still be reported: misspellings that collect mistyped
 * installs (the registry keeps some as security placeholders after taking the squat down, which is why
 * they still show download counts), and names that are themselves the wrong pick.
 * Keyed by normalised name; the value is the package meant.
 */
export const KNOWN_MISSPELLINGS: Partial<Record<Ecosystem, Record<string, string>>> = {
  npm: {
    crossenv: 'cross-env',
    loadsh: 'lodash',
    'jquery.js': 'jquery',
    'opencv.js': 'opencv',
    'd3.js': 'd3',
    mongose: 'mongoose',
    babelcli: 'babel-cli',
    nodesass: 'node-sass',
    'nodemailer-js': 'nodemailer',
  },
};

/** Popular names that are not what people mean to install (deprecated stubs pointing elsewhere). */
export const KNOWN_WRONG_PICKS: Partial<Record<Ecosystem, Record<string, { intended: string; reason: string }>>> = {
  PyPI: {
    sklearn: {
      intended: 'scikit-learn',
      reason: "'sklearn' is a deprecated stub that now refuses to install; the project is 'scikit-learn'.",
    },
  },
};

/**
 * PyPI: import names that differ from the project that provides them. Writing the import name in a
 * requirements file installs whatever project holds that name, which is a known way to get squatted.
 * Keyed by normalised name; the value is the project people usually mean.
 */
export const PYPI_IMPORT_NAMES: Record<string, string> = {
  cv2: 'opencv-python',
  yaml: 'PyYAML',
  pil: 'Pillow',
  bs4: 'beautifulsoup4',
  dateutil: 'python-dateutil',
  dotenv: 'python-dotenv',
  jwt: 'PyJWT',
  magic: 'python-magic',
  serial: 'pyserial',
  usb: 'pyusb',
  crypto: 'pycryptodome',
  attr: 'attrs',
  docx: 'python-docx',
  pptx: 'python-pptx',
  zmq: 'pyzmq',
  gi: 'PyGObject',
  skimage: 'scikit-image',
  'google-protobuf': 'protobuf',
  mysqldb: 'mysqlclient',
  fitz: 'PyMuPDF',
  win32api: 'pywin32',
  telegram: 'python-telegram-bot',
  discord: 'discord.py',
};
