/**
 * A host page that imports the library first and configures @lit/localize afterwards (for
 * instance when its own app code loads later): configuring does not throw, and both sets of
 * strings work, each in its own language.
 */
import '../../src/define.js';
import { configureLocalization, msg } from '@lit/localize';
import { expect } from '@open-wc/testing';

import { checkCoexistence } from './coexist.js';

describe('a host page that configures @lit/localize after the library has loaded', () => {
  it('can configure it, and both sets of strings work', async () => {
    const host = configureLocalization({
      sourceLocale: 'en',
      targetLocales: ['sv'],
      loadLocale: () => Promise.resolve({ templates: { 'host.greeting': 'Hej från värdsidan' } }),
    });
    expect(host.getLocale()).to.equal('en');
    await checkCoexistence(host, () => msg('Hello from the host page', { id: 'host.greeting' }));
  });
});
