/**
 * Default sandbox images per ecosystem: official images pinned by digest, so a re-tagged image cannot
 * change what runs. Override per ecosystem in the user config `[sandbox.images]` (never the project's:
 * untrusted input must not choose the image). Bump a digest with
 * `docker buildx imagetools inspect IMAGE:TAG` and review the change like a dependency update.
 */
import type { Ecosystem } from '../model';

/** Default image per ecosystem. Every one runs as uid 10001 with nothing else assumed. */
export const DEFAULT_IMAGES: Readonly<Record<Ecosystem, string>> = {
  PyPI: 'python:3.12-slim@sha256:78387bc3881b8273120a12ebe6c1ab22b018ccc2c9adf565ae1ac9b536e184ea',
  npm: 'node:20-slim@sha256:1e85773c98c31d4fe5b545e4cb17379e617b348832fb3738b22a08f68dec30f3',
  'crates.io': 'rust:1-slim-bookworm@sha256:c8a94a78f67ec8c4d474ec7f71e0720f21eb7e584e158daec0874cafa7c30e4d',
  Go: 'golang:1.23-bookworm@sha256:dba79eb312528369dea87532a65dbe9d4efb26439a0feacc9e7ac9b0f1c7f607',
  RubyGems: 'ruby:3.3-slim@sha256:a26bfb9409c02987e6b7f8649f0d4c71cc8a4a97475f3f1edfc2fc6a490021ae',
};

const IMAGE_REF = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[0-9a-f]{64})?$/;

/** True for a plain image reference (registry/name[:tag][@sha256:digest]); rejects options and odd characters. */
export function isImageReference(ref: string): boolean {
  return ref.length <= 512 && IMAGE_REF.test(ref);
}

/** The image for an ecosystem: the user's override when valid, else the pinned default. */
export function imageFor(ecosystem: Ecosystem, overrides: Readonly<Partial<Record<Ecosystem, string>>> = {}): string {
  const override = overrides[ecosystem];
  if (override !== undefined) {
    if (!isImageReference(override)) throw new Error(`[sandbox.images] ${ecosystem} = '${override}' is not an image reference`);
    return override;
  }
  return DEFAULT_IMAGES[ecosystem];
}
