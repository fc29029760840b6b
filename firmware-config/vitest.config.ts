import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: 'firmware-config' } });
