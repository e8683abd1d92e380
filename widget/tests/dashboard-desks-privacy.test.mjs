// The desk form's Privacy fieldset rules (widget/dashboard/desks-admin.js, docs/privacy.md
// "Settings per desk"), with node --test: a desk's stored `privacy` as the form shows it and
// back, only the settings the admin set sent (an empty object: every default), values out of
// range refused in the admin's words at their field, and the service's 400 messages placed at
// the field they name.
import { test } from "node:test";
import assert from "node:assert/strict";
import { deskToForm, fieldOfMessage, formToBody, formToPrivacy, privacyToForm } from "../dashboard/desks-admin.js";

const EMPTY = { retentionDays: "", transcripts: "keep", deleteAfterHours: "", stripIdentity: false, typingPreview: "", observerNotice: true };

test("a desk without settings shows every default, and sends an empty object back", () => {
  for (const stored of [undefined, null, {}, "rubbish"]) assert.deepEqual(privacyToForm(stored), EMPTY);
  assert.deepEqual(formToPrivacy(EMPTY), { privacy: {} });
  assert.deepEqual(formToPrivacy(undefined), { privacy: {} });
});

test("every setting in the form and back, as it was stored", () => {
  const stored = { retention_days: 7, transcripts: "delete", delete_after_hours: 2, strip_identity: true, typing_preview: false };
  const form = privacyToForm(stored);
  assert.deepEqual(form, { retentionDays: "7", transcripts: "delete", deleteAfterHours: "2", stripIdentity: true, typingPreview: "off",
    observerNotice: true });
  assert.deepEqual(formToPrivacy(form), { privacy: stored });
  assert.equal(privacyToForm({ typing_preview: true }).typingPreview, "on");
  assert.deepEqual(formToPrivacy({ ...EMPTY, typingPreview: "on" }), { privacy: { typing_preview: true } });
  assert.deepEqual(formToPrivacy(privacyToForm({ transcripts: "delete", delete_after_hours: 0 })),
    { privacy: { transcripts: "delete", delete_after_hours: 0 } }, "0 hours: at the next purge run");
  // docs/supervision.md: telling the patron is the default, so only "off" is stored
  assert.equal(privacyToForm({ observer_notice: false }).observerNotice, false);
  assert.deepEqual(formToPrivacy({ ...EMPTY, observerNotice: false }), { privacy: { observer_notice: false } });
});

test("only the settings set are sent: defaults left out, the hours only with delete", () => {
  assert.deepEqual(formToPrivacy({ ...EMPTY, transcripts: "keep", deleteAfterHours: "5" }), { privacy: {} },
    "keeping is the default; hours without delete mean nothing");
  assert.deepEqual(formToPrivacy({ ...EMPTY, transcripts: "delete" }), { privacy: { transcripts: "delete" } },
    "delete with no hours: the service's 0");
  assert.deepEqual(formToPrivacy(privacyToForm({ transcripts: "keep", strip_identity: false })), { privacy: {} });
  assert.deepEqual(formToPrivacy({ ...EMPTY, retentionDays: " 3650 " }), { privacy: { retention_days: 3650 } });
});

test("values out of range are refused at their field, in the admin's words", () => {
  for (const days of ["0", "3651", "-1", "1.5", "7 days"]) {
    const made = formToPrivacy({ ...EMPTY, retentionDays: days });
    assert.deepEqual(made.errors.map((e) => e.field), ["privacy-retention"], days);
    assert.match(made.errors[0].text, /whole number of days from 1 to 3650/);
  }
  for (const hours of ["721", "-2", "0.5"]) {
    const made = formToPrivacy({ ...EMPTY, transcripts: "delete", deleteAfterHours: hours });
    assert.deepEqual(made.errors.map((e) => e.field), ["privacy-hours"], hours);
    assert.match(made.errors[0].text, /from 0 to 720/);
  }
  const both = formToPrivacy({ ...EMPTY, retentionDays: "0", transcripts: "delete", deleteAfterHours: "999" });
  assert.deepEqual(both.errors.map((e) => e.field), ["privacy-retention", "privacy-hours"]);
});

test("the desk's body carries privacy only from a form that has the fieldset", () => {
  const desk = { id: "law", name: "Law", timezone: "UTC", hours: null, privacy: { retention_days: 7 } };
  const plain = formToBody(deskToForm(desk), { creating: false });
  assert.ok(!("privacy" in plain.body), "without the fieldset the stored settings are left alone");
  const edited = formToBody({ ...deskToForm(desk), privacy: privacyToForm(desk.privacy) }, { creating: false });
  assert.deepEqual(edited.body.privacy, { retention_days: 7 });
  const cleared = formToBody({ ...deskToForm(desk), privacy: EMPTY }, { creating: false });
  assert.deepEqual(cleared.body.privacy, {}, "an edit that clears every setting says so: {} is every default");
  const created = formToBody({ ...deskToForm(null), id: "new", name: "New", privacy: EMPTY }, { creating: true });
  assert.ok(!("privacy" in created.body), "a new desk with the defaults needs no privacy");
  const createdSet = formToBody({ ...deskToForm(null), id: "new", name: "New", privacy: { ...EMPTY, stripIdentity: true } },
    { creating: true });
  assert.deepEqual(createdSet.body.privacy, { strip_identity: true });
  const bad = formToBody({ ...deskToForm(desk), name: "", privacy: { ...EMPTY, retentionDays: "0" } }, { creating: false });
  assert.deepEqual(bad.errors.map((e) => e.field), ["name", "privacy-retention"], "in the order of the form");
});

test("the service's refusals are placed at the privacy field they name", () => {
  assert.equal(fieldOfMessage("'privacy.retention_days' must be a whole number 1..3650"), "privacy-retention");
  assert.equal(fieldOfMessage("'privacy.delete_after_hours' must be a whole number 0..720"), "privacy-hours");
  assert.equal(fieldOfMessage("'privacy.transcripts' must be 'keep' or 'delete'"), "privacy-transcripts");
  assert.equal(fieldOfMessage("'privacy.strip_identity' must be true or false"), "privacy-strip");
  assert.equal(fieldOfMessage("'privacy.typing_preview' must be true or false"), "privacy-typing");
  assert.equal(fieldOfMessage("'privacy' has unknown fields: x; known: retention_days"), "privacy-retention");
  assert.equal(fieldOfMessage("'hours.wed': 09:00-13:00 overlaps the next opening"), "day-wed", "the others unchanged");
});
