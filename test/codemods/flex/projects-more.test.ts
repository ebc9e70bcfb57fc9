import { describe } from 'vitest';
import { flexProjects } from './projects-suite.js';

describe('tierwise fix flex on the fixture projects (second half)', () => {
  flexProjects(1);
});
