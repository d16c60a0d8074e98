import type { AppConfigDescriptor } from '../../descriptor.js';
import type { Part, Pattern } from './pattern.js';
import type { Grant, Place } from './types.js';

/**
 * AppConfig in a policy: IAM names an application, environment and configuration profile by ID
 * (`application/abc1234/environment/def5678/configuration/ghi9012`), never by name, while
 * fromAppConfig accepts either (as the AppConfigData API does).
 */

const ANY: Part = { wildcard: '*' };

/**
 * An AppConfig ID, as AppConfig makes them: 7 lowercase letters and digits. A value without a digit
 * is read as a name (`staging`, `default` are 7 letters too): a wrong `*` is broader, a wrong ID denies.
 */
export function isAppConfigId(value: string): boolean {
  return /^[a-z0-9]{7}$/.test(value) && /\d/.test(value);
}

const LISTS = {
  application: 'aws appconfig list-applications',
  environment: 'aws appconfig list-environments --application-id APP_ID',
  profile: 'aws appconfig list-configuration-profiles --application-id APP_ID',
} as const;

type Named = { what: keyof typeof LISTS; value: string };

/** How to find each ID, with the AWS CLI. */
function namesNote(names: readonly Named[]): string {
  const one = names.length === 1;
  const which = names.map((n) => `the ${n.what} "${n.value}"`).join(', ');
  const find = names.map((n) => `${LISTS[n.what]} --query "Items[?Name=='${n.value}'].Id"`).join('; ');
  return `IAM names AppConfig resources by ID (7 lowercase letters and digits, like a1b2c3d), and ${which} ${one ? 'is a name' : 'are names'}: the policy has * in ${one ? 'its place' : 'their places'}. To narrow it, replace each * with the ID (${find}), or give fromAppConfig the IDs`;
}

/** The two AppConfigData actions on the profile, by ID; a name becomes `*`, with a note. */
export function appconfig(d: AppConfigDescriptor, place: Place): Grant {
  const parts = (['application', 'environment', 'profile'] as const).map((what) => ({
    what,
    value: d[what],
  }));
  const names = parts.filter((p) => !isAppConfigId(p.value));
  const id = (value: string): Part => (isAppConfigId(value) ? value : ANY);
  const { partition, region, account } = place;
  const resource: Pattern = [
    ...['arn:', partition, ':appconfig:', region, ':', account, ':application/', id(d.application)],
    ...['/environment/', id(d.environment), '/configuration/', id(d.profile)],
  ];
  const notes = names.length === 0 ? [] : [namesNote(names)];
  return {
    // The extension on Lambda calls the same two actions with the function's role.
    statement: {
      actions: ['appconfig:StartConfigurationSession', 'appconfig:GetLatestConfiguration'],
      resource,
    },
    sidWords: [d.application, d.environment, d.profile],
    notes,
    place,
  };
}
