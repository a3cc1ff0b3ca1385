/** Typosquat detection: the detector contract, the builders and the shipped-data loader. */
export type { TyposquatConfidence, TyposquatDetector, TyposquatMatch, TyposquatOperator } from './detector';
export { createTyposquatDetector, DEFAULT_OPTIONS, PopularNameDetector, type DetectorOptions, type PopularLists } from './createDetector';
export { loadTyposquatDetector, readPopularList } from './loadDetector';
export { resolvePopularDataDir } from './dataDir';
