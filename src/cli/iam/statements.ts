import type { RemoteDescriptor, S3Descriptor, SecretDescriptor, SsmDescriptor } from '../../descriptor.js';
import { appconfig } from './appconfig.js';
import { type Part, type Pattern, partitionOf } from './pattern.js';
import type { Grant, Place, Scope } from './types.js';

export type { Grant, Place, Scope, Statement } from './types.js';

const ANY: Part = { wildcard: '*' };

/** A source's own `region` wins over `--region`; neither: the region the policy is deployed in. */
export function placeOf(region: string | undefined, scope: Scope): Place {
  const r = region ?? scope.region;
  const account: Part =
    scope.account === undefined ? { pseudo: 'account' } : scope.account === '*' ? ANY : scope.account;
  if (r === undefined || r === '*') {
    return { partition: { pseudo: 'partition' }, region: r === '*' ? ANY : { pseudo: 'region' }, account };
  }
  return { partition: partitionOf(r), region: r, account, knownRegion: r };
}

function s3(d: S3Descriptor, place: Place): Grant {
  // A read by versionId is authorised with s3:GetObjectVersion; s3:GetObject stays beside it, so the
  // statement is the object's read grant with the version read added (remove it to forbid the latest).
  const actions = d.versionId === undefined ? ['s3:GetObject'] : ['s3:GetObject', 's3:GetObjectVersion'];
  return {
    statement: { actions, resource: ['arn:', place.partition, `:s3:::${d.bucket}/${d.key}`] },
    sidWords: [d.bucket, d.key],
    notes: [],
    place,
  };
}

function ssm(d: SsmDescriptor, place: Place): Grant {
  const { partition, region, account } = place;
  const notes =
    d.path === '/'
      ? [
          'reads the root path /: that is every parameter of the account and region; a narrower path (/orders/prod/) grants less',
        ]
      : [];
  return {
    // GetParametersByPath is authorised on the requested path (no trailing slash), and a recursive
    // read returns every level below it: the path itself is the whole grant.
    statement: {
      actions: ['ssm:GetParametersByPath'],
      resource: ['arn:', partition, ':ssm:', region, ':', account, `:parameter${d.path}`],
    },
    sidWords: d.path === '/' ? ['root'] : [d.path],
    notes,
    place,
  };
}

const SECRET_ARN = /^arn:([^:]+):secretsmanager:([^:]*):([^:]*):secret:(.+)$/;
/** The six random characters Secrets Manager appends to a secret's name in its ARN. */
const SUFFIX = /-[A-Za-z0-9]{6}$/;
const SIX: Part[] = ['-', { wildcard: '??????' }];

function secret(d: SecretDescriptor, scopePlace: Place): Grant {
  const action = { actions: ['secretsmanager:GetSecretValue'] };
  const arn = SECRET_ARN.exec(d.secretId);
  if (arn !== null) {
    // The ARN says where the secret is; a partial ARN (no suffix) matches its six characters.
    const [, partition = '', region = '', account = '', name = ''] = arn;
    const place: Place = { partition, region, account, knownRegion: region };
    const full = SUFFIX.test(name);
    const resource: Pattern = full ? [d.secretId] : [d.secretId, ...SIX];
    return { statement: { ...action, resource }, sidWords: [name.replace(SUFFIX, '')], notes: [], place };
  }
  if (d.secretId.startsWith('arn:')) {
    const note =
      'is not a Secrets Manager secret ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME): granted as given';
    return {
      statement: { ...action, resource: [d.secretId] },
      sidWords: [d.secretId],
      notes: [note],
      place: scopePlace,
    };
  }
  const { partition, region, account } = scopePlace;
  const resource: Pattern = [
    'arn:',
    partition,
    ':secretsmanager:',
    region,
    ':',
    account,
    `:secret:${d.secretId}`,
    ...SIX,
  ];
  return { statement: { ...action, resource }, sidWords: [d.secretId], notes: [], place: scopePlace };
}

/** The grant one remote layer needs. */
export function grantFor(d: RemoteDescriptor, scope: Scope): Grant {
  const place = placeOf(d.region, scope);
  switch (d.store) {
    case 's3':
      return s3(d, place);
    case 'ssm':
      return ssm(d, place);
    case 'secrets-manager':
      return secret(d, place);
    case 'appconfig':
      return appconfig(d, place);
  }
}
