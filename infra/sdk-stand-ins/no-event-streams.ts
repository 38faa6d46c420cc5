/**
 * Stands in for `@smithy/core/event-streams` inside the Lambda bundles (infra/bundle.ts). The SDK's
 * HTTP protocols load it with `await import()` only for an operation that streams events; DynamoDB,
 * SQS and SESv2 have none, yet esbuild puts the whole codec in every bundle (~20 KB with its
 * checksums). Should a client that streams ever be bundled, its first such call fails here, naming
 * the cause, instead of going wrong quietly.
 */
const missing = (): never => {
  throw new Error('event streams are not in this Lambda bundle (infra/bundle.ts replaces @smithy/core/event-streams)');
};

export class EventStreamSerde {
  constructor() {
    missing();
  }
}

export const eventStreamSerdeProvider = missing;
