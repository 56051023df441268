/**
 * Settles ConfidNet's protocol on VALIDATION data only (never the test split): from the trained
 * LeNet of artifacts/week3/train-lenet and the split of artifacts/week3/mnist, it trains the
 * branch under each difference listed in issue 12 and prints the best validation AUPR-Error of
 * each (errors of the deterministic LeNet positive, confidences from a deterministic pass), on
 * the one seeded selection half of the validation split that the stage also uses.
 *
 *   npx tsx --conditions=rdl-source scripts/investigations/confidnet-protocol.ts \
 *     [--train-subset N] [--max-epochs N] [--patience N] [--fixed-epochs N] [--only name,name]
 *
 * Public package APIs only. The training subset (seeded) and epoch caps exist because a full
 * ablation of 55k images × 7 settings does not fit a 2-core machine shared by six sessions; the
 * printed header says which budget was used.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { tableFromIPC } from 'apache-arrow';
import { createRng, deriveSeed, permutation } from '@rdl/core';
import { imageSetFromTable } from '@rdl/data';
import { deserializeWeights, LeNet, lenetHeadFromTrunk, lenetHeadWeights, trunkFeatures, type LeNetWeights } from '@rdl/models';
import { initBackend, shutdownWorkers } from '@rdl/runtime';
import {
  auprError,
  lenetConfidNetData,
  splitValidation,
  trainConfidNet,
  type ConfidNetSelection,
  type ConfidNetTrainOn,
  type TrunkSet,
} from '@rdl/uncertainty';

interface Setting {
  name: string;
  what: string;
  trainOn: ConfidNetTrainOn;
  dropout: boolean;
  selectBy: ConfidNetSelection;
  /** true: stop on patience (within --max-epochs); false: exactly --fixed-epochs. */
  early: boolean;
}

const SETTINGS: Setting[] = [
  {
    name: 'previous',
    what: 'dropout off, MSE, fixed epochs (the old stage)',
    trainOn: 'train',
    dropout: false,
    selectBy: 'mse',
    early: false,
  },
  { name: 'dropout-mse-fixed', what: 'dropout on, MSE, fixed epochs', trainOn: 'train', dropout: true, selectBy: 'mse', early: false },
  {
    name: 'dropout-aupr-fixed',
    what: 'dropout on, AUPR-Error, fixed epochs',
    trainOn: 'train',
    dropout: true,
    selectBy: 'aupr-error',
    early: false,
  },
  {
    name: 'authors',
    what: 'dropout on, AUPR-Error, until no improvement',
    trainOn: 'train',
    dropout: true,
    selectBy: 'aupr-error',
    early: true,
  },
  {
    name: 'no-dropout-aupr',
    what: 'dropout off, AUPR-Error, until no improvement',
    trainOn: 'train',
    dropout: false,
    selectBy: 'aupr-error',
    early: true,
  },
  {
    name: 'validation-fit',
    what: 'as authors, learn from the validation fit half',
    trainOn: 'validation-fit',
    dropout: true,
    selectBy: 'aupr-error',
    early: true,
  },
  {
    name: 'train+validation-fit',
    what: 'as authors, learn from train + validation fit half',
    trainOn: 'train+validation-fit',
    dropout: true,
    selectBy: 'aupr-error',
    early: true,
  },
];

function args(): { trainSubset?: number; maxEpochs: number; patience: number; fixedEpochs: number; only?: string[] } {
  const argv = process.argv.slice(2);
  const out: ReturnType<typeof args> = { maxEpochs: 30, patience: 5, fixedEpochs: 10 };
  for (let i = 0; i < argv.length; i++) {
    const value = (): number => {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${argv[i - 1]} needs a positive integer, got "${argv[i]}"`);
      return n;
    };
    if (argv[i] === '--train-subset') out.trainSubset = value();
    else if (argv[i] === '--max-epochs') out.maxEpochs = value();
    else if (argv[i] === '--patience') out.patience = value();
    else if (argv[i] === '--fixed-epochs') out.fixedEpochs = value();
    else if (argv[i] === '--only') out.only = (argv[++i] ?? '').split(',');
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return out;
}

const root = process.cwd();
const readTable = (stage: string, name: string) =>
  tableFromIPC(readFileSync(join(root, 'artifacts/week3', stage, 'outputs', `${name}.arrow`)));

async function main(): Promise<void> {
  const o = args();
  const backend = await initBackend();
  const history = JSON.parse(readFileSync(join(root, 'artifacts/week3/train-lenet/outputs/history.json'), 'utf8')) as {
    model: { dropout: number; seed: number };
  };
  const manifest = readFileSync(join(root, 'artifacts/week3/train-lenet/outputs/weights.manifest.json'), 'utf8');
  const data = new Uint8Array(readFileSync(join(root, 'artifacts/week3/train-lenet/outputs/weights.bin')));
  const model = LeNet.create(history.model);
  model.setWeights(deserializeWeights(manifest, data) as LeNetWeights);
  const seed = 0; // the week-3 config's seed
  const trunkOf = async (stage: string, name: string): Promise<TrunkSet> => {
    const set = imageSetFromTable(readTable(stage, name), `${stage} ${name}`);
    return { trunk: await trunkFeatures(model, set.pixels, set.count, { batchSize: 1000 }), labels: set.labels };
  };
  let train = await trunkOf('mnist', 'train');
  const validation = await trunkOf('mnist', 'validation');
  if (o.trainSubset !== undefined && o.trainSubset < train.labels.length) {
    const rows = permutation(train.labels.length, createRng(deriveSeed(seed, 'investigations/confidnet-protocol/subset')))
      .slice(0, o.trainSubset)
      .sort();
    const trunk = new Float32Array(rows.length * 800);
    rows.forEach((r, i) => trunk.set(train.trunk.subarray(r * 800, (r + 1) * 800), i * 800));
    train = { trunk, labels: Uint8Array.from(rows, (r) => train.labels[r]) };
  }
  const head = lenetHeadWeights(model);
  const splitSeed = deriveSeed(seed, 'week3/train-confidnet/validation-split');
  const { select } = splitValidation(validation.labels.length, splitSeed);
  const valProbs = lenetHeadFromTrunk(head, validation.trunk).probs;
  const mcp = Float32Array.from(select, (r) => Math.max(...valProbs.subarray(r * 10, r * 10 + 10)));
  const errors = Uint8Array.from(select, (r) => {
    const p = valProbs.subarray(r * 10, r * 10 + 10);
    return p.indexOf(Math.max(...p)) === validation.labels[r] ? 0 : 1;
  });
  console.log(`# ConfidNet protocol on validation (${new Date().toISOString()})`);
  console.log(
    `backend ${backend.name}; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}; learn-from train images ${train.labels.length}` +
      `${o.trainSubset ? ' (seeded subset)' : ''}; max epochs ${o.maxEpochs}, patience ${o.patience}, fixed epochs ${o.fixedEpochs}; lr 1e-4, batch 128`,
  );
  console.log(
    `selection half: ${select.length} validation images, ${errors.reduce((s, e) => s + e, 0)} errors; MCP validation AUPR-Error ${(100 * auprError(errors, mcp)).toFixed(2)} %`,
  );
  console.log('');
  console.log('| setting | what | best val AUPR-Error % | best epoch | epochs run | seconds |');
  console.log('|---|---|---|---|---|---|');
  for (const s of SETTINGS.filter((x) => !o.only || o.only.includes(x.name))) {
    const d = lenetConfidNetData({ head, dropout: s.dropout ? model.config.dropout : 0, train, validation, trainOn: s.trainOn, splitSeed });
    const started = performance.now();
    const result = await trainConfidNet(d.train, {
      validation: d.validation,
      epochs: s.early ? o.maxEpochs : o.fixedEpochs,
      patience: s.early ? o.patience : undefined,
      selectBy: s.selectBy,
      seed: deriveSeed(seed, 'week3/train-confidnet'),
    });
    const seconds = (performance.now() - started) / 1000;
    const best = result.history[result.bestEpoch - 1];
    console.log(
      `| ${s.name} | ${s.what} | ${(100 * best.valAuprError).toFixed(2)} | ${result.bestEpoch} | ${result.history.length} | ${seconds.toFixed(0)} |`,
    );
    console.error(`  ${s.name} curve (val AUPR-Error %): ${result.history.map((h) => (100 * h.valAuprError).toFixed(1)).join(' ')}`);
  }
  model.dispose();
  await shutdownWorkers();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
