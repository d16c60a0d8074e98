import type { S3Descriptor } from '../../descriptor.js';
import type { Pattern } from './pattern.js';
import { sidOf, uniqueSids } from './sid.js';
import type { Granted, Note, Place } from './types.js';

/**
 * The notes about grants that depend on what strataconf cannot see: a customer managed KMS key,
 * and S3's answer for a missing object, each with the optional statement to paste.
 */

const KMS_SERVICES = { ssm: 'ssm', 'secrets-manager': 'secretsmanager', s3: 's3' } as const;
const MANAGED = { ssm: 'aws/ssm', 'secrets-manager': 'aws/secretsmanager', s3: 'aws/s3' } as const;
const WHAT = {
  ssm: 'a SecureString parameter',
  'secrets-manager': 'a secret',
  s3: 'an S3 object (SSE-KMS)',
} as const;

type KmsStore = keyof typeof KMS_SERVICES;

const isKmsStore = (store: string): store is KmsStore => store in KMS_SERVICES;

/** `ssm.eu-west-1.amazonaws.com`: the endpoint a `kms:ViaService` condition names. */
function endpoint(service: string, place: Place): Pattern {
  if (place.knownRegion === undefined) return [`${service}.`, place.region, '.', { pseudo: 'urlSuffix' }];
  return [
    `${service}.${place.knownRegion}.${place.knownRegion.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}`,
  ];
}

/** `a, b or c`. */
function either(words: readonly string[]): string {
  return words.length < 2 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

/** kms:Decrypt on the key, only through the stores that read with it: one statement per place (keys are regional). */
function kmsNote(granted: readonly Granted[], sids: (wanted: string) => string): Note | undefined {
  const kms = granted.filter((g) => isKmsStore(g.descriptor.store));
  if (kms.length === 0) return undefined;
  const byPlace = new Map<string, { place: Place; via: Map<string, Pattern> }>();
  for (const g of kms) {
    const place = g.grant.place;
    const entry = byPlace.get(JSON.stringify(place)) ?? { place, via: new Map() };
    const via = endpoint(KMS_SERVICES[g.descriptor.store as KmsStore], place);
    entry.via.set(JSON.stringify(via), via);
    byPlace.set(JSON.stringify(place), entry);
  }
  const statements = [...byPlace.values()].map(({ place: { partition, region, account }, via }) => ({
    sid: sids('KmsDecrypt'),
    actions: ['kms:Decrypt'],
    resource: ['arn:', partition, ':kms:', region, ':', account, ':key/KEY_ID'],
    condition: { StringLike: { 'kms:ViaService': [...via.values()] } },
  }));
  const stores = [...new Set(kms.map((g) => g.descriptor.store as KmsStore))];
  return {
    subject: kms.map((g) => g.name).join(', '),
    text: `${either(stores.map((s) => WHAT[s]))} encrypted with a customer managed KMS key also needs kms:Decrypt on that key, which strataconf cannot see (the AWS managed ${stores.length === 1 ? 'key' : 'keys'} ${stores.map((s) => MANAGED[s]).join(', ')} ${stores.length === 1 ? 'needs' : 'need'} nothing). With such a key, add this with the key's ID in place of KEY_ID:`,
    statements,
  };
}

/** s3:ListBucket limited to the layers' keys: a missing object then answers 404, not 403. */
function listBucketNotes(granted: readonly Granted[], sids: (wanted: string) => string): Note[] {
  const buckets = new Map<string, { names: string[]; keys: string[]; place: Place }>();
  for (const g of granted) {
    if (g.descriptor.store !== 's3') continue;
    const { bucket, key } = g.descriptor as S3Descriptor;
    const entry = buckets.get(bucket) ?? { names: [], keys: [], place: g.grant.place };
    if (!entry.names.includes(g.name)) entry.names.push(g.name);
    if (!entry.keys.includes(key)) entry.keys.push(key);
    buckets.set(bucket, entry);
  }
  return [...buckets].map(([bucket, { names, keys, place }]) => ({
    subject: names.join(', '),
    text: `without s3:ListBucket on the bucket, S3 answers a missing object with 403, which strataconf reports as access denied, instead of 404, a missing layer. To tell them apart, add this statement (it lists only keys that start with ${keys.length === 1 ? "the layer's key" : "the layers' keys"}):`,
    statements: [
      {
        sid: sids(sidOf('S3List', [bucket])),
        actions: ['s3:ListBucket'],
        resource: ['arn:', place.partition, `:s3:::${bucket}`],
        // S3 checks s3:ListBucket for a missing object with the object's key as s3:prefix.
        condition: { StringEquals: { 's3:prefix': keys.map((k) => [k]) } },
      },
    ],
  }));
}

/** The notes after the per-layer ones; their Sids stay clear of the policy's (`taken`). */
export function extraNotes(granted: readonly Granted[], taken: ReadonlySet<string>): Note[] {
  const used = [...taken];
  const sids = (wanted: string) => {
    const all = uniqueSids([...used, wanted]);
    const sid = all[all.length - 1] as string;
    used.push(sid);
    return sid;
  };
  const list = listBucketNotes(granted, sids);
  const kms = kmsNote(granted, sids);
  return [...list, ...(kms === undefined ? [] : [kms])];
}
