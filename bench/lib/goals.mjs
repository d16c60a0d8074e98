/** The performance goals of issue 8, each judged on ratios taken within the same run. */

const med = (fig, variant, field) => fig?.[variant]?.[field]?.median;

function ratioGoal(goal, a, b, limit, strict = false) {
  if (a === undefined || b === undefined) return { goal, value: 'n/a', met: false };
  const ratio = a / b;
  return { goal, value: `x${ratio.toFixed(2)}`, met: strict ? ratio < limit : ratio <= limit };
}

/** Every peer slower than strataconf on `field` in this figure. */
function fasterThanPeers(goal, fig, field) {
  const own = med(fig, 'strataconf', field);
  const peers = Object.keys(fig ?? {}).filter((n) => n !== 'strataconf' && n !== 'floor');
  const slower = peers.filter((p) => med(fig, p, field) > own);
  const closest = peers.map((p) => med(fig, p, field)).sort((a, b) => a - b)[0];
  return {
    goal,
    value: `${slower.length}/${peers.length} peers slower; fastest peer x${(closest / own).toFixed(2)} of strataconf`,
    met: slower.length === peers.length,
  };
}

export function judgeGoals(r) {
  const goals = [
    ratioGoal(
      "import of strataconf at or below convict's",
      med(r.import, 'strataconf', 'importMs'),
      med(r.import, 'convict', 'importMs'),
      1,
    ),
    ratioGoal(
      "import of strataconf under 0.3x node-config's",
      med(r.import, 'strataconf', 'importMs'),
      med(r.import, 'node-config', 'importMs'),
      0.3,
      true,
    ),
  ];
  if (r.trace) {
    goals.push({
      goal: 'the AWS SDK never loaded without an S3 layer',
      value: r.trace.sdkLoaded ? 'loaded' : 'not loaded',
      met: !r.trace.sdkLoaded,
    });
    goals.push({
      goal: 'zod never imported by strataconf itself',
      value: r.trace.zodLoaded ? 'imported' : 'not imported',
      met: !r.trace.zodLoaded,
    });
  }
  if (r.coldS3) {
    goals.push(
      ratioGoal(
        'cold process with an S3 layer: strataconf within 1.15x of the floor',
        med(r.coldS3, 'strataconf', 'wallMs'),
        med(r.coldS3, 'floor', 'wallMs'),
        1.15,
      ),
      ratioGoal(
        "cold process with an S3 layer: strataconf at most 0.5x of the SDK's GetObjectCommand",
        med(r.coldS3, 'strataconf', 'wallMs'),
        med(r.coldS3, 'SDK GetObjectCommand', 'wallMs'),
        0.5,
      ),
    );
  }
  for (const [label, fig] of [
    ['200 keys', r.load200],
    ['2,000 keys', r.load2000],
  ]) {
    if (!fig) continue;
    goals.push(
      ratioGoal(
        `cold load ${label}: work after import within 2x of the floor's`,
        med(fig, 'strataconf', 'loadMs'),
        med(fig, 'floor', 'loadMs'),
        2,
      ),
      ratioGoal(
        `cold load ${label}: whole process within 1.15x of the floor's`,
        med(fig, 'strataconf', 'wallMs'),
        med(fig, 'floor', 'wallMs'),
        1.15,
      ),
      fasterThanPeers(`cold load ${label}: import + load faster than every peer`, fig, 'workMs'),
      fasterThanPeers(`cold load ${label}: whole process faster than every peer`, fig, 'wallMs'),
    );
  }
  const warm = (name) => r.warm?.[name]?.median;
  const load = warm('definition.load()');
  const rebuilt = warm('loadConfig, options rebuilt in the handler');
  goals.push(
    {
      goal: 'warm definition.load() under 1 µs',
      value: load === undefined ? 'n/a' : `${(load / 1000).toFixed(3)} µs`,
      met: load < 1000,
    },
    {
      goal: 'warm loadConfig with rebuilt options under 5 µs',
      value: rebuilt === undefined ? 'n/a' : `${(rebuilt / 1000).toFixed(2)} µs`,
      met: rebuilt < 5000,
    },
  );
  const share = r.bundle?.strataconf?.share;
  goals.push({
    goal: 'share of a bundled handler under 40 KB',
    value: share === undefined ? 'n/a' : `${(share / 1000).toFixed(1)} KB`,
    met: share < 40_000,
  });
  return goals;
}
