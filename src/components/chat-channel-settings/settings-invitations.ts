/**
 * The proactive-invitations section of chat-channel-settings (issue 18): invitations on or off,
 * and per rule: active, the pages (URL pattern), the seconds on the page, returning visitors only,
 * and the message in the language of the texts being edited. The server checks every value
 * (src/protocol/invitations.ts) and names the refused ones by path.
 */
import { html } from 'lit';

import { msg, str } from '../../i18n/localization.js';
import { MAX_INVITATION_MESSAGE, MAX_INVITATION_RULES, MAX_SECONDS_ON_PAGE } from '../../protocol/invitations.js';
import type { Draft, Editor } from './settings-sections.js';
import { check, languageName, numberField } from './settings-sections.js';

export function renderInvitations(ed: Editor, d: Draft) {
  const { invitations } = d.settings;
  const lang = ed.textLanguage();
  const addRule = () => {
    ed.edit((x) => {
      const ids = new Set(x.settings.invitations.rules.map((r) => r.id));
      let n = x.settings.invitations.rules.length + 1;
      while (ids.has(`rule-${String(n)}`)) n += 1;
      x.settings.invitations.rules.push({ id: `rule-${String(n)}`, enabled: true, urlPattern: '', secondsOnPage: 30, returningOnly: false, message: {} });
    });
  };
  return html`<fieldset data-path="settings.invitations" tabindex="-1" aria-invalid=${ed.invalid('settings.invitations')}>
    <legend>${ed.label('settings.invitations', msg('Proactive invitations', { id: 'chat-channel-settings.invite.section' }))}</legend>
    ${check(ed, msg('Invite customers to chat', { id: 'chat-channel-settings.invite.enabled' }), invitations.enabled, (x, on) => (x.settings.invitations.enabled = on))}
    <p class="hint">
      ${msg('Shown only while the channel is open and an agent is Present. A customer who answers No thanks is not asked again that day.', { id: 'chat-channel-settings.invite.hint' })}
    </p>
    ${invitations.rules.map((r, i) => {
      const path = `settings.invitations.rules.${String(i)}`;
      const n = i + 1;
      return html`<fieldset class="inner" data-path=${path} tabindex="-1" aria-invalid=${ed.invalid(path)}>
        <legend>${ed.label(path, msg(str`Rule ${n}`, { id: 'chat-channel-settings.invite.rule' }))}</legend>
        ${check(ed, msg('Active', { id: 'chat-channel-settings.invite.active' }), r.enabled, (x, on) => {
          const rule = x.settings.invitations.rules[i];
          if (rule) rule.enabled = on;
        })}
        <div class="grid">
          <label class="field"
            >${ed.label(`${path}.urlPattern`, msg('Pages (for example /pricing*; empty: every page)', { id: 'chat-channel-settings.invite.pages' }))}
            <input
              data-path=${`${path}.urlPattern`}
              aria-invalid=${ed.invalid(`${path}.urlPattern`)}
              maxlength="200"
              spellcheck="false"
              .value=${r.urlPattern}
              @input=${(e: Event) => {
                ed.edit((x) => {
                  const rule = x.settings.invitations.rules[i];
                  if (rule) rule.urlPattern = (e.target as HTMLInputElement).value.trim();
                });
              }}
            />
          </label>
          ${numberField(ed, `${path}.secondsOnPage`, msg('Seconds on the page', { id: 'chat-channel-settings.invite.seconds' }), r.secondsOnPage, 0, MAX_SECONDS_ON_PAGE, (x, s) => {
            const rule = x.settings.invitations.rules[i];
            if (rule) rule.secondsOnPage = s;
          })}
        </div>
        ${check(ed, msg('Only returning visitors', { id: 'chat-channel-settings.invite.returning' }), r.returningOnly, (x, on) => {
          const rule = x.settings.invitations.rules[i];
          if (rule) rule.returningOnly = on;
        })}
        <label class="field"
          >${ed.label(`${path}.message`, msg(str`Message (${languageName(lang)})`, { id: 'chat-channel-settings.invite.message' }))}
          <textarea
            data-path=${`${path}.message.${lang}`}
            lang=${lang}
            aria-invalid=${ed.invalid(`${path}.message`)}
            maxlength=${MAX_INVITATION_MESSAGE}
            .value=${r.message[lang] ?? ''}
            @input=${(e: Event) => {
              const value = (e.target as HTMLTextAreaElement).value;
              ed.edit((x) => {
                const rule = x.settings.invitations.rules[i];
                if (!rule) return;
                const rest = Object.fromEntries(Object.entries(rule.message).filter(([l]) => l !== lang));
                rule.message = value.trim() === '' ? rest : { ...rest, [lang]: value };
              });
            }}
          ></textarea>
        </label>
        <button
          class="btn"
          type="button"
          @click=${() => {
            ed.edit((x) => {
              x.settings.invitations.rules.splice(i, 1);
            });
          }}
        >
          ${msg(str`Remove rule ${n}`, { id: 'chat-channel-settings.invite.remove' })}
        </button>
      </fieldset>`;
    })}
    <button class="btn add-rule" type="button" ?disabled=${invitations.rules.length >= MAX_INVITATION_RULES} @click=${addRule}>
      ${msg('Add a rule', { id: 'chat-channel-settings.invite.add' })}
    </button>
  </fieldset>`;
}
