#!/usr/bin/env node
// An independent TUF client (tuf-js): refreshes the metadata from a trusted root and downloads one target,
// verified against the metadata. Exit 0: verified (the file is written to <out dir>); 1: any failure.
//
//   node verify-download.mjs <metadata base URL> <targets base URL> <trusted root.json> <target path> <out dir>
import { mkdtempSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, basename } from 'node:path';
import { Updater } from 'tuf-js';

const [metadataBaseUrl, targetBaseUrl, trustedRoot, targetPath, outDir] = process.argv.slice(2);
if (!outDir) {
  console.error('usage: verify-download.mjs <metadata base URL> <targets base URL> <root.json> <target path> <out dir>');
  process.exit(2);
}

try {
  // a fresh metadata cache per run: only the trusted root is known beforehand
  const metadataDir = mkdtempSync(join(tmpdir(), 'bytekeep-tuf-'));
  copyFileSync(trustedRoot, join(metadataDir, 'root.json'));
  mkdirSync(outDir, { recursive: true });
  const updater = new Updater({ metadataBaseUrl, targetBaseUrl, metadataDir, targetDir: outDir });
  await updater.refresh();
  const info = await updater.getTargetInfo(targetPath);
  if (!info) {
    throw new Error(`${targetPath} is not a target of the repository`);
  }
  const file = await updater.downloadTarget(info, join(outDir, basename(targetPath)));
  console.log(JSON.stringify({ verified: targetPath, file, length: info.length, hashes: info.hashes }));
} catch (error) {
  console.error(`REJECTED ${targetPath}: ${error.name}: ${error.message}`);
  process.exit(1);
}
