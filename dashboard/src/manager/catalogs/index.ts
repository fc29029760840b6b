import type { Catalogs } from '../../shared/i18n.ts';
import { en } from './en.ts';
import { es } from './es.ts';
import { hi } from './hi.ts';

export const MANAGER_CATALOGS: Catalogs = { en, es, hi };
