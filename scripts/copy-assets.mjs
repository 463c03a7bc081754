#!/usr/bin/env node
// Copies the non-TypeScript files the runtime reads (simulator fleet profiles) next to the compiled code.
import { cpSync } from 'node:fs';

cpSync('src/client/simulator/profiles', 'dist/src/client/simulator/profiles', { recursive: true });
