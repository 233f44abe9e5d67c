/**
 * A host page's own use of @lit/localize, as an integrator's app would have it: configured at
 * module load with a Swedish catalog of the host's strings. Imported before the library by
 * test/i18n/host-localize-first.test.ts.
 */
import { configureLocalization, msg } from '@lit/localize';

export const hostLocalize = configureLocalization({
  sourceLocale: 'en',
  targetLocales: ['sv'],
  loadLocale: () => Promise.resolve({ templates: { 'host.greeting': 'Hej från värdsidan' } }),
});

/** A string of the host app, translated by the host's lit-localize. */
export const hostGreeting = () => msg('Hello from the host page', { id: 'host.greeting' });
