// The admins' Team tab: every operator with an editable max chats (PUT /api/operators/{id}),
// and the patrons' survey results of the last 7 days. Owns #lcd-panel-team's contents.

import { el } from "../js/dom.js";
import { formatClock, stateLabel, surveySummary } from "./logic.js";
import { S } from "./strings.js";

export class TeamTab {
  constructor({ doc, api, onAuthLost }) {
    this.doc = doc;
    this.api = api;
    this.onAuthLost = onAuthLost || (() => {});
    const $ = (id) => doc.getElementById(id);
    this.e = {
      notice: $("lcd-team-notice"), rows: $("lcd-team-rows"),
      summary: $("lcd-survey-summary"), comments: $("lcd-survey-comments"),
    };
  }

  notice(text) {
    this.e.notice.replaceChildren(text ? el(this.doc, "p", "lcd-pane-notice", text) : "");
  }

  failed(err, what) {
    if (err && err.status === 401) this.onAuthLost();
    else this.notice(S.team.loadFailed(what, err && err.message));
  }

  async refresh() {
    await Promise.all([this.loadOperators(), this.loadSurveys()]);
  }

  async loadOperators() {
    let res;
    try {
      res = await this.api.operators();
    } catch (err) {
      this.failed(err, S.team.operators);
      return;
    }
    const d = this.doc;
    this.e.rows.replaceChildren(...(res.operators || []).map((o) => {
      const tr = el(d, "tr");
      tr.dataset.operatorId = o.id;
      const name = el(d, "th", null, o.name || o.id);
      name.scope = "row";
      const input = el(d, "input", "lcd-maxchats");
      input.type = "number";
      input.min = "1";
      input.max = "10";
      input.value = String(o.max_chats ?? "");
      input.id = `lcd-max-${o.id}`;
      input.setAttribute("aria-label", S.team.maxLabel(o.name || o.id));
      const save = el(d, "button", "lcd-btn lcd-btn--small", S.team.save);
      save.type = "button";
      save.setAttribute("aria-label", S.team.saveLabel(o.name || o.id));
      const state = el(d, "span", "lcd-team-saved");
      state.setAttribute("role", "status");
      const form = el(d, "td", "lcd-team-max");
      form.append(input, save, state);
      const submit = async () => {
        const n = Number(input.value);
        if (!Number.isInteger(n) || n < 1 || n > 10) {
          state.textContent = S.team.range;
          input.focus();
          return;
        }
        state.textContent = S.team.saving;
        try {
          const saved = await this.api.setMaxChats(o.id, n);
          input.value = String(saved.max_chats ?? n);
          state.textContent = S.team.saved;
        } catch (err) {
          state.textContent = S.team.notSaved(err && err.message);
        }
      };
      save.addEventListener("click", submit);
      input.addEventListener("keydown", (ev) => {
        if (ev.key === "Enter") {
          ev.preventDefault();
          submit();
        }
      });
      tr.append(name, el(d, "td", null, o.role || ""), el(d, "td", null, stateLabel(o.state)),
        el(d, "td", null, String(o.active_chats ?? 0)), form);
      return tr;
    }));
  }

  async loadSurveys() {
    let s;
    try {
      s = await this.api.surveys(7);
    } catch (err) {
      this.failed(err, S.team.surveys);
      return;
    }
    const d = this.doc;
    this.e.summary.textContent = surveySummary(s);
    const withComments = (s.surveys || []).filter((x) => x.comment).slice(0, 20);
    this.e.comments.replaceChildren(...(withComments.length ? withComments.map((x) => {
      const li = el(d, "li", "lcd-comment");
      li.append(el(d, "p", "lcd-comment-text", x.comment),
        el(d, "p", "lcd-comment-meta", S.team.comment(x.rating, x.answered, x.submitted_at ? formatClock(x.submitted_at) : "")));
      return li;
    }) : [el(d, "li", "lcd-empty", S.team.noComments)]));
  }
}
