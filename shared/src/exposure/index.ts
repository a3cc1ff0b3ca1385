/** Environment exposure: what an install running as this user could read (`check-env`, the editor panel). */
export { checkEnvironment, summarize, sortItems, type CheckEnvironmentOptions } from './checkEnvironment';
export { formatExposureJson, formatExposureText } from './format';
export { nodeExposureHost, nodeExposureFileSystem, nodeCommandProbe, type ExposureHost, type ExposureFileSystem, type CommandProbe } from './host';
export { SENSITIVE_PATHS, VAULT_PATHS, HISTORY_FILES } from './catalog';
export { classifyVariableName, tokenShapeOf } from './secretShapes';
export * from './types';
