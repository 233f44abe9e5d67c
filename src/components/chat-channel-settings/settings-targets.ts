/**
 * The priority and response-target section of chat-channel-settings (issue 18): the default
 * priority of new chats, the rules on the pre-chat fields that give another one (first match
 * wins), and the targets for the first reply and every next reply (seconds; 0: none). The server
 * checks every value (server/core/provisioning/routing.ts) and names the refused ones by path
 * (`targets.rules[2].value`).
 */
import { html } from 'lit';

import { msg, str } from '../../i18n/localization.js';
import { priorityLabel } from '../../internal/response-timer.js';
import type { ChatPriority, RuleField, RuleMatch } from '../../protocol/priority.js';
import { CHAT_PRIORITIES, MAX_PRIORITY_RULES, MAX_RULE_VALUE, MAX_TARGET_SECONDS, RULE_FIELDS, RULE_MATCHES } from '../../protocol/priority.js';
import type { Draft, Editor } from './settings-sections.js';
import { numberField } from './settings-sections.js';

const PRIORITIES = [...CHAT_PRIORITIES].reverse();

function ruleFieldLabel(f: RuleField): string {
  switch (f) {
    case 'name':
      return msg('Name', { id: 'chat-channel-settings.targets.field.name' });
    case 'email':
      return msg('E-mail', { id: 'chat-channel-settings.targets.field.email' });
    case 'phone':
      return msg('Phone', { id: 'chat-channel-settings.targets.field.phone' });
    case 'company':
      return msg('Company', { id: 'chat-channel-settings.targets.field.company' });
    case 'language':
      return msg('Language', { id: 'chat-channel-settings.targets.field.language' });
  }
}

function ruleMatchLabel(m: RuleMatch): string {
  switch (m) {
    case 'contains':
      return msg('contains', { id: 'chat-channel-settings.targets.match.contains' });
    case 'equals':
      return msg('is', { id: 'chat-channel-settings.targets.match.equals' });
    case 'ends-with':
      return msg('ends with', { id: 'chat-channel-settings.targets.match.ends-with' });
    case 'present':
      return msg('is given', { id: 'chat-channel-settings.targets.match.present' });
  }
}

function prioritySelect(ed: Editor, path: string, label: string, value: ChatPriority, set: (d: Draft, p: ChatPriority) => void) {
  return html`<label class="field"
    >${ed.label(path, label)}
    <select
      data-path=${path}
      aria-invalid=${ed.invalid(path)}
      @change=${(e: Event) => {
        ed.edit((x) => {
          set(x, (e.target as HTMLSelectElement).value as ChatPriority);
        });
      }}
    >
      ${PRIORITIES.map((p) => html`<option value=${p} ?selected=${value === p}>${priorityLabel(p)}</option>`)}
    </select>
  </label>`;
}

export function renderTargets(ed: Editor, d: Draft) {
  const t = d.targets;
  const addRule = () => {
    ed.edit((x) => {
      x.targets.rules.push({ field: 'email', match: 'ends-with', value: '', priority: 'high' });
    });
  };
  return html`<fieldset data-path="targets" tabindex="-1" aria-invalid=${ed.invalid('targets')}>
    <legend>${ed.label('targets', msg('Priority and reply targets', { id: 'chat-channel-settings.targets.section' }))}</legend>
    <div class="grid">
      ${prioritySelect(ed, 'targets.defaultPriority', msg('Priority of new chats', { id: 'chat-channel-settings.targets.default' }), t.defaultPriority, (x, p) => (x.targets.defaultPriority = p))}
      ${numberField(ed, 'targets.firstResponseSeconds', msg('First reply within (seconds)', { id: 'chat-channel-settings.targets.first' }), t.firstResponseSeconds, 0, MAX_TARGET_SECONDS, (x, n) => (x.targets.firstResponseSeconds = n))}
      ${numberField(ed, 'targets.nextResponseSeconds', msg('Next reply within (seconds)', { id: 'chat-channel-settings.targets.next' }), t.nextResponseSeconds, 0, MAX_TARGET_SECONDS, (x, n) => (x.targets.nextResponseSeconds = n))}
    </div>
    <p class="hint">
      ${msg('Waiting chats are answered highest priority first. The timer on each chat warns at 75 % of the target and shows when it is overdue. 0: no target.', { id: 'chat-channel-settings.targets.hint' })}
    </p>
    ${t.rules.map((r, i) => {
      const path = `targets.rules[${String(i)}]`;
      const n = i + 1;
      const rule = (x: Draft) => x.targets.rules[i];
      return html`<fieldset class="inner" data-path=${path} tabindex="-1" aria-invalid=${ed.invalid(path)}>
        <legend>${ed.label(path, msg(str`Priority rule ${n}`, { id: 'chat-channel-settings.targets.rule' }))}</legend>
        <div class="grid">
          <label class="field"
            >${ed.label(`${path}.field`, msg('Pre-chat field', { id: 'chat-channel-settings.targets.rule-field' }))}
            <select
              data-path=${`${path}.field`}
              aria-invalid=${ed.invalid(`${path}.field`)}
              @change=${(e: Event) => {
                ed.edit((x) => {
                  const r2 = rule(x);
                  if (r2) r2.field = (e.target as HTMLSelectElement).value as RuleField;
                });
              }}
            >
              ${RULE_FIELDS.map((f) => html`<option value=${f} ?selected=${r.field === f}>${ruleFieldLabel(f)}</option>`)}
            </select>
          </label>
          <label class="field"
            >${ed.label(`${path}.match`, msg('Condition', { id: 'chat-channel-settings.targets.rule-match' }))}
            <select
              data-path=${`${path}.match`}
              aria-invalid=${ed.invalid(`${path}.match`)}
              @change=${(e: Event) => {
                ed.edit((x) => {
                  const r2 = rule(x);
                  if (r2) r2.match = (e.target as HTMLSelectElement).value as RuleMatch;
                });
              }}
            >
              ${RULE_MATCHES.map((m) => html`<option value=${m} ?selected=${r.match === m}>${ruleMatchLabel(m)}</option>`)}
            </select>
          </label>
          <label class="field"
            >${ed.label(`${path}.value`, msg('Value', { id: 'chat-channel-settings.targets.rule-value' }))}
            <input
              data-path=${`${path}.value`}
              aria-invalid=${ed.invalid(`${path}.value`)}
              maxlength=${MAX_RULE_VALUE}
              spellcheck="false"
              ?disabled=${r.match === 'present'}
              .value=${r.value}
              @input=${(e: Event) => {
                ed.edit((x) => {
                  const r2 = rule(x);
                  if (r2) r2.value = (e.target as HTMLInputElement).value;
                });
              }}
            />
          </label>
          ${prioritySelect(ed, `${path}.priority`, msg('Gives priority', { id: 'chat-channel-settings.targets.rule-priority' }), r.priority, (x, p) => {
            const r2 = rule(x);
            if (r2) r2.priority = p;
          })}
        </div>
        <button
          class="btn"
          type="button"
          @click=${() => {
            ed.edit((x) => {
              x.targets.rules.splice(i, 1);
            });
          }}
        >
          ${msg(str`Remove priority rule ${n}`, { id: 'chat-channel-settings.targets.remove' })}
        </button>
      </fieldset>`;
    })}
    <button class="btn add-rule" type="button" ?disabled=${t.rules.length >= MAX_PRIORITY_RULES} @click=${addRule}>
      ${msg('Add a priority rule', { id: 'chat-channel-settings.targets.add' })}
    </button>
  </fieldset>`;
}
