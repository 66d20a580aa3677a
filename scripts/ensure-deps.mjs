#!/usr/bin/env node
// Makes the README's two commands work on a fresh clone: installs npm packages
// when node_modules is missing or older than the lock file, and checks Java 17
// (DynamoDB Local needs it) before anything starts.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const lock = 'package-lock.json';
const marker = 'node_modules/.package-lock.json';
if (!existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs + 1000)) {
  console.log('[setup] installing npm packages (npm ci)…');
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' });
}

const java = spawnSync(process.env.JAVA ?? 'java', ['-version'], { encoding: 'utf8' });
if (java.error || java.status !== 0) {
  console.error('[setup] Java 17 or newer is required for DynamoDB Local. Install it, e.g. `sudo apt-get install -y openjdk-17-jre-headless`.');
  process.exit(1);
}
const version = /version "(\d+)/.exec(`${java.stderr}${java.stdout}`)?.[1];
if (version && Number(version) < 17) {
  console.error(`[setup] Java ${version} found; DynamoDB Local needs Java 17 or newer.`);
  process.exit(1);
}
