import { quantizeScore } from "./score-order.js";
import type { Similarity } from "./similarity.js";

/** One valid candidate to cluster. `order` is its provider's index in the plan. */
export interface ClusterItem {
  readonly id: string;
  readonly order: number;
  readonly text: string;
}

export interface Cluster {
  /** In provider order. */
  readonly members: readonly ClusterItem[];
  /**
   * The answer that speaks for the cluster: its member earliest in provider
   * order (the config's preference order). Unlike a medoid, a later answer
   * joining the cluster can only change it by coming from an earlier
   * provider, which is what lets an early stop know it is final.
   */
  readonly representative: ClusterItem;
  /** Mean pairwise similarity inside the cluster; 1 for a single member. */
  readonly cohesion: number;
}

export interface Clustering {
  /** Best first; `clusters[0]` is the winner. */
  readonly clusters: readonly Cluster[];
  readonly winner: Cluster;
  /** |winner| / |items|. */
  readonly agreement: number;
  /** The cluster holding a candidate. */
  clusterOf(id: string): Cluster | undefined;
}

export type PairScore = (a: ClusterItem, b: ClusterItem) => number;

/** A pair scorer that computes each pair once per run (clustering repeats as answers arrive). */
export function memoizedPairScore(similarity: Similarity): PairScore {
  const memo = new Map<string, number>();
  return (a, b) => {
    const [x, y] = a.order <= b.order ? [a, b] : [b, a];
    const key = `${x.id}\u0000${y.id}`;
    let score = memo.get(key);
    if (score === undefined) {
      score = similarity.score(x.text, y.text);
      memo.set(key, score);
    }
    return score;
  };
}

/**
 * Threshold clustering (R-ENS-2): two candidates whose similarity is at least
 * `threshold` are linked, and the clusters are the connected groups (single
 * linkage). Connected groups do not depend on the order candidates are looked
 * at, and adding candidates can only merge groups, never split them, so a
 * strict majority seen early is still the winning cluster when everyone has
 * answered. Items are sorted by provider order first, so every sum and every
 * tie-break below is computed the same way whatever order answers arrived in.
 *
 * Clusters rank by: more members; then higher cohesion (compared to 1e-9);
 * then the cluster whose first member comes earliest in provider order (the
 * config's preference order). That last key is unique per cluster, so the
 * ranking is total.
 */
export function clusterByThreshold(items: readonly ClusterItem[], score: PairScore, threshold: number): Clustering {
  if (items.length === 0) throw new RangeError("cannot cluster zero candidates");
  const sorted = [...items].sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const n = sorted.length;
  const sim: number[][] = sorted.map(() => new Array<number>(n).fill(1));
  const parent = sorted.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = score(sorted[i]!, sorted[j]!);
      sim[i]![j] = sim[j]![i] = s;
      if (s >= threshold) {
        const [ri, rj] = [root(i), root(j)];
        // The smaller index stays the root, so roots are each group's first member.
        if (ri !== rj) parent[Math.max(ri, rj)] = Math.min(ri, rj);
      }
    }
  }

  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const r = root(i);
    const group = groups.get(r);
    if (group) group.push(i);
    else groups.set(r, [i]);
  }

  const clusters = [...groups.values()].map((indexes) => buildCluster(indexes, sorted, sim));
  clusters.sort(
    (a, b) =>
      b.members.length - a.members.length ||
      quantizeScore(b.cohesion) - quantizeScore(a.cohesion) ||
      a.members[0]!.order - b.members[0]!.order,
  );
  const byId = new Map<string, Cluster>();
  for (const cluster of clusters) for (const m of cluster.members) byId.set(m.id, cluster);
  const winner = clusters[0]!;
  return {
    clusters,
    winner,
    agreement: winner.members.length / n,
    clusterOf: (id) => byId.get(id),
  };
}

function buildCluster(indexes: readonly number[], sorted: readonly ClusterItem[], sim: readonly number[][]): Cluster {
  let pairSum = 0;
  let pairs = 0;
  for (const i of indexes) {
    for (const j of indexes) {
      if (j > i) {
        pairSum += sim[i]![j]!;
        pairs++;
      }
    }
  }
  const members = indexes.map((i) => sorted[i]!);
  return { members, representative: members[0]!, cohesion: pairs === 0 ? 1 : pairSum / pairs };
}
