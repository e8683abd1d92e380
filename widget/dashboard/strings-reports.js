// The words of the Reports tab and of the Chats tab's "today" line (docs/reports.md), kept
// apart from strings.js (which names them S.reports and S.today). Same rules as strings.js:
// strings, or small functions for the ones with values in them.

/** "1 question", "3 questions". */
const count = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** 41 -> "41 s", 125 -> "2 min 5 s", 3720 -> "1 h 2 min"; null -> "" (the caller says "none"). */
export function seconds(value) {
  if (typeof value !== "number" || !Number.isFinite(value)) return "";
  const s = Math.max(0, Math.round(value));
  if (s < 120) return `${s} s`;
  if (s < 3600) return s % 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s / 60} min`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${m % 60} min` : ""}`;
}

/** 0.686 -> "69%"; null -> "". */
export function share(value) {
  return typeof value === "number" && Number.isFinite(value) ? `${Math.round(value * 100)}%` : "";
}

/** 4.4 -> "4.4"; null -> "". */
export function decimal(value) {
  return typeof value === "number" && Number.isFinite(value) ? String(Math.round(value * 10) / 10) : "";
}

export const REPORTS = {
  title: "Reports",
  lead: "Chats and tickets asked in the range, by day and hour in the desk's own time zone. These figures keep no patron names, questions or addresses.",
  filtersLabel: "Report filters",
  from: "From",
  to: "To",
  desk: "Desk",
  allDesks: "All my desks",
  library: "Library",
  allLibraries: "All libraries",
  librarian: "Librarian",
  anyone: "Anyone",
  tag: "Tag",
  anyTag: "Any tag",
  apply: "Apply",
  applying: "Loading…",
  badDate: "Give both dates (from and to).",
  order: "The From date is after the To date.",
  tooLong: (days) => `The range is at most ${days} days.`,
  loading: "Loading the report…",
  loaded: (from, to, n) => `Report for ${from} to ${to}: ${count(n, "question")}.`,
  empty: "Nothing was asked in this range with these filters.",
  failed: (why) => `The report could not be loaded: ${why || "try again"}.`,
  chartsFailed: "The charts could not be drawn (the chart library did not load). The tables below have every number.",
  forbidden: "You may only see the reports of your own desks.",
  // admins: the wait-to-claim target
  targetTitle: "Target wait to claim",
  targetLabel: "Target wait to claim (seconds)",
  targetHint: "From 10 to 3600 seconds. The reports compare every wait with it.",
  targetSave: "Save target",
  targetSaving: "Saving…",
  targetSaved: (s) => `Target saved: ${seconds(s)}.`,
  targetBad: "The target is a whole number of seconds from 10 to 3600.",
  targetFailed: (why) => `The target was not saved: ${why || "try again"}.`,
  // the summary figures
  summaryTitle: "Summary",
  figures: {
    count: "Questions",
    chats: "Chats",
    tickets: "Tickets",
    p50: "Wait to claim, median (p50)",
    p90: "Wait to claim, p90",
    within: "Claimed within the target",
  },
  none: "none",
  targetNote: (target) => `target ${target}`,
  withinNote: (within, n) => `${within} of ${n} claimed chats`,
  // the charts: captions (figcaption), the canvas's summary (aria-label), the legends
  chats: "Chats",
  tickets: "Tickets",
  questions: "Questions",
  hour: "Hour of the day",
  weekday: "Day of the week",
  weekdays: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
  months: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
  shortDay: (iso, months) => {
    const m = /^\d{4}-(\d{2})-(\d{2})$/.exec(String(iso));
    return m ? `${Number(m[2])} ${months[Number(m[1]) - 1]}` : String(iso);
  },
  weekdayNames: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
  caption: {
    per_day: "Questions per day",
    heat_map: (tz) => `Questions by hour and weekday (${tz} time)`,
    wait: "Wait to claim",
    duration: "Chat length (claim to end)",
    outcomes: "Outcomes",
    ratings: "Survey ratings",
    read: "READ scale",
    question_types: "Question types",
    tags: "Tags",
    librarians: "Per librarian",
  },
  detail: {
    wait: (p50, p90, target) => `Median (p50) ${p50 || "none"}, p90 ${p90 || "none"}${target ? `, target ${target}` : ""}.`,
    duration: (p50, p90) => `Median (p50) ${p50 || "none"}, p90 ${p90 || "none"}.`,
    ratings: (n, mean) => (n ? `${count(n, "rating")}, mean ${mean}.` : "No ratings in this range."),
    heat_map: "Darker cells: more questions asked in that hour.",
  },
  summary: {
    per_day: (days, chats, tickets, busiest, most) => `${count(chats, "chat")} and ${count(tickets, "ticket")} over ${count(days, "day")}${busiest ? `; busiest ${busiest} with ${most}` : ""}.`,
    heat_map: (total, peak, n) => (total ? `${count(total, "question")}; busiest hour ${peak} with ${n}.` : "No questions."),
    bars: (pairs) => (pairs.length ? pairs.map(([label, n]) => `${label}: ${n}`).join(", ") : "No data."),
  },
  peak: (day, hour) => `${day} ${String(hour).padStart(2, "0")}:00`,
  targetLine: (target) => `Target ${seconds(target)}`,
  outcome: { answered: "Answered", abandoned: "Abandoned while waiting", missed: "Missed", ticket: "Became a ticket" },
  stars: (n) => `${n} ${n === "1" || n === 1 ? "star" : "stars"}`,
  readLevel: (n) => `READ ${n}`,
  numbers: (title) => `${title}: the numbers`,
  csv: "Download CSV",
  csvLabel: (title) => `Download CSV: ${title}`,
  downloading: "Downloading…",
  records: "Download all records (CSV)",
  recordsHint: "One row per chat or ticket in the range and filters: no names, questions or addresses.",
  downloaded: (name) => `Downloaded ${name}.`,
  downloadFailed: (why) => `The file could not be downloaded: ${why || "try again"}.`,
  noRows: "No rows.",
};

export const TODAY = {
  label: "Today at my desks",
  line: (waiting, p50, p90, target) => {
    const wait = p50 || p90 ? `wait to claim p50 ${p50 || "none"}, p90 ${p90 || "none"}` : "no chat claimed yet";
    return `Today: ${waiting} waiting, ${wait}${target ? ` (target ${target})` : ""}`;
  },
  desk: (name, line) => `${name}: ${line}`,
};
