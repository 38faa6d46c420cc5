/** Converts a DynamoDB Streams SDK record into the record Lambda hands to a stream function. */
import type { AttributeValue as SdkValue, _Record } from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';

const base64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

function toLambdaValue(v: SdkValue): AttributeValue {
  if (v.S !== undefined) return { S: v.S };
  if (v.N !== undefined) return { N: v.N };
  if (v.BOOL !== undefined) return { BOOL: v.BOOL };
  if (v.NULL !== undefined) return { NULL: v.NULL };
  if (v.B !== undefined) return { B: base64(v.B) };
  if (v.SS !== undefined) return { SS: v.SS };
  if (v.NS !== undefined) return { NS: v.NS };
  if (v.BS !== undefined) return { BS: v.BS.map(base64) };
  if (v.L !== undefined) return { L: v.L.map(toLambdaValue) };
  if (v.M !== undefined) return { M: toLambdaImage(v.M) };
  // @aws-sdk/client-dynamodb-streams (3.1141) deserializes an empty map {"M":{}} as {}: no other
  // attribute value can be empty, so an object with no members is that empty map.
  if (Object.keys(v).length === 0) return { M: {} };
  throw new Error(`unknown attribute value ${JSON.stringify(v)}`);
}

export function toLambdaImage(image: Record<string, SdkValue>): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(image).map(([k, v]) => [k, toLambdaValue(v)]));
}

const image = (i: Record<string, SdkValue> | undefined) => (i ? toLambdaImage(i) : undefined);

export function toLambdaRecord(r: _Record, streamArn: string, region: string): DynamoDBRecord {
  const d = r.dynamodb ?? {};
  return {
    eventID: r.eventID,
    eventName: r.eventName,
    eventVersion: r.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb: {
      ApproximateCreationDateTime: d.ApproximateCreationDateTime ? Math.floor(d.ApproximateCreationDateTime.getTime() / 1000) : undefined,
      Keys: image(d.Keys),
      NewImage: image(d.NewImage),
      OldImage: image(d.OldImage),
      SequenceNumber: d.SequenceNumber,
      SizeBytes: d.SizeBytes,
      StreamViewType: d.StreamViewType,
    },
    eventSourceARN: streamArn,
  };
}
