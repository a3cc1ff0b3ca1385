/** The build area's size cap the lab configures (`[sandbox] disk_limit`); the disk-fill row checks host growth against it. */
export const LAB_DISK_LIMIT_BYTES = 256 * 1024 * 1024;
