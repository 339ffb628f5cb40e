export { RawPublisher } from './raw-publisher';
export { WatermarkStore } from './watermark-store';
export type { Watermark } from './watermark-store';
export { RateLimiter } from './rate-limiter';
