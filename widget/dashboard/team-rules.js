// The Team tab's pure rules (accounts: what an admin may send, desk memberships, the new
// password check), kept apart from the DOM so node tests can hold them
// (widget/tests/dashboard-team.test.mjs); team.js re-exports them.

import { S } from "./strings.js";

export const USERNAME = /^[A-Za-z0-9._@+-]{1,64}$/;
export const EMAIL = /^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,63}$/;
export const MAX_CHATS_CEILING = 10;
export const MAX_NAME = 100;
export const ROLES = ["librarian", "supervisor", "admin"];

// ------------------------------------------------------------------ pure rules

/** "All desks", or the names of the desks an operator answers. */
export function desksText(queues, names = {}) {
  if (queues === null || queues === undefined) return S.accounts.allDesks;
  return queues.map((id) => names[id] || id).join(", ");
}

/** Desk memberships as the service takes them: null (every desk) or a non-empty list. */
export function membership(all, ids) {
  if (all) return { queues: null };
  const list = [...new Set(ids || [])];
  return list.length ? { queues: list } : { error: S.accounts.err.needDesk };
}

function checkName(name, errors) {
  const n = String(name ?? "").trim();
  if (!n) errors.push({ field: "name", text: S.accounts.err.needName });
  else if (n.length > MAX_NAME) errors.push({ field: "name", text: S.accounts.err.nameTooLong(MAX_NAME) });
  return n;
}

/**
 * "Add a librarian" as the body of POST /api/operators: {body} or {errors: [{field, text}]}.
 * values: {username, name, email, role, maxChats, allDesks, desks: [ids], invite}.
 */
export function accountBody(values) {
  const errors = [];
  const username = String(values.username ?? "").trim();
  if (!username) errors.push({ field: "username", text: S.accounts.err.needUsername });
  else if (!USERNAME.test(username)) errors.push({ field: "username", text: S.accounts.err.badUsername });
  const name = checkName(values.name, errors);
  const email = String(values.email ?? "").trim();
  if (email && !EMAIL.test(email)) errors.push({ field: "email", text: S.accounts.err.badEmail });
  if (values.invite && !email) errors.push({ field: "email", text: S.accounts.err.needEmail });
  const role = ROLES.includes(values.role) ? values.role : "librarian";
  const max = Number(String(values.maxChats ?? "").trim());
  if (!Number.isInteger(max) || max < 1 || max > MAX_CHATS_CEILING) {
    errors.push({ field: "max", text: S.accounts.err.maxChats(MAX_CHATS_CEILING) });
  }
  const m = membership(values.allDesks, values.desks);
  if (m.error) errors.push({ field: "desks", text: m.error });
  if (errors.length) return { errors };
  const body = { username, name, role, max_chats: max, queues: m.queues, invite: Boolean(values.invite) };
  if (email) body.email = email;
  return { body };
}

/** An account's edits as the body of PUT /api/operators/{id}: {body} or {errors}. */
export function accountChanges(values) {
  const errors = [];
  const name = checkName(values.name, errors);
  const m = membership(values.allDesks, values.desks);
  if (m.error) errors.push({ field: "desks", text: m.error });
  if (errors.length) return { errors };
  return { body: { name, role: ROLES.includes(values.role) ? values.role : "librarian", queues: m.queues } };
}

/** The first sign-in's "choose a new password": what is wrong with the two boxes, or null. */
export function newPasswordProblem(first, second) {
  if (!first || !second) return S.signIn.newPasswordMissing;
  if (first !== second) return S.signIn.newPasswordMismatch;
  return null;
}

/** A REST refusal because the account was disabled (403 "this account is disabled"). */
export function isDisabledError(err) {
  return Boolean(err) && err.status === 403 && /disabled/i.test(String(err.message || ""));
}
