/** `config.compression`: compressed answers for clients that accept them (src/http/compress-response.ts). */
import { integer, onOff } from '../lib/config-values.js';
import { setting } from '../config/setting.js';
import { DEFAULT_COMPRESSION_MIN_BYTES } from './compress-response.js';

export const COMPRESSION_SETTINGS = {
  enabled: setting({
    env: 'INTERLINK_COMPRESSION',
    file: 'server.compression',
    parser: onOff,
    default: true,
    description: 'Compress GraphQL answers (brotli or gzip, as `Accept-Encoding` allows) from the size below.',
  }),
  minBytes: setting({
    env: 'INTERLINK_COMPRESSION_MIN_BYTES',
    file: 'server.compressionMinBytes',
    parser: integer(0, 100 * 1024 * 1024, 'bytes'),
    default: DEFAULT_COMPRESSION_MIN_BYTES,
    description: 'Smallest answer that is compressed; smaller ones go as they are (see [Compression](#compression)).',
  }),
};
