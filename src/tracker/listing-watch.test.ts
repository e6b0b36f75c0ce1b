import { utimesSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempTree, type TempTree } from '../../test/helpers/temp-tree.js';
import { discoverTranscripts } from '../sources/claude-code/discover-transcripts.js';
import { ListingWatch } from './listing-watch.js';

let tree: TempTree;
beforeEach(() => {
  tree = makeTempTree();
});
afterEach(() => {
  tree.cleanup();
});

const settings = {
  fullListingEveryMs: 10_000,
  fullListingWithEventsMs: 30_000,
  hotWindowMs: 10 * 60_000,
};

function watchAfterListing(monoMs = 0): ListingWatch {
  const watch = new ListingWatch(settings);
  watch.remember(discoverTranscripts([tree.projectsDir], { withDirs: true }), monoMs, Date.now());
  return watch;
}

describe('ListingWatch', () => {
  it('lists fully first, when hinted, and when the full listing is due', () => {
    expect(new ListingWatch(settings).needsFullListing(0, false)).toBe(true);
    tree.write(tree.path('-p', 's.jsonl'), '{}\n');
    const watch = watchAfterListing(1_000);
    expect(watch.needsFullListing(1_500, false)).toBe(false);
    expect(watch.needsFullListing(1_500, true)).toBe(true);
    expect(watch.needsFullListing(11_000, false)).toBe(true);
    // With file events on, the periodic listing only backs up missed events: every 30 s.
    expect(watch.needsFullListing(11_000, false, true)).toBe(false);
    expect(watch.needsFullListing(31_000, false, true)).toBe(true);
    watch.forget();
    expect(watch.needsFullListing(1_500, false)).toBe(true);
  });

  it('sees an append to a recently written file by its stat alone', () => {
    const file = tree.path('-p', 's.jsonl');
    tree.write(file, '{}\n');
    const watch = watchAfterListing();
    tree.append(file, '{}\n');
    expect(watch.needsFullListing(1, false)).toBe(true);
  });

  it('sees a new file anywhere by its folder, however deep, and a root that appears', () => {
    tree.write(tree.path('-p', 's/subagents/agent-1.jsonl'), '{}\n');
    const watch = watchAfterListing();
    tree.write(tree.path('-p', 's/subagents/agent-2.jsonl'), '{}\n');
    expect(watch.needsFullListing(1, false)).toBe(true);

    const fresh = watchAfterListing();
    tree.write(tree.path('-q', 'new.jsonl'), '{}\n');
    expect(fresh.needsFullListing(1, false)).toBe(true);

    const missingRoot = `${tree.base}/other/projects`;
    const watch2 = new ListingWatch(settings);
    watch2.remember(discoverTranscripts([missingRoot], { withDirs: true }), 0, Date.now());
    expect(watch2.needsFullListing(1, false)).toBe(false);
    tree.write(`${missingRoot}/-p/a.jsonl`, '{}\n');
    expect(watch2.needsFullListing(1, false)).toBe(true);
  });

  it('leaves a file quiet for longer than the hot window to the next full listing', () => {
    const file = tree.path('-p', 'old.jsonl');
    tree.write(file, '{}\n');
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(file, hourAgo, hourAgo);
    const watch = watchAfterListing();
    tree.append(file, '{}\n'); // its folder does not change; only a full listing sees it
    expect(watch.needsFullListing(9_999, false)).toBe(false);
    expect(watch.needsFullListing(10_000, false)).toBe(true);
  });
});
