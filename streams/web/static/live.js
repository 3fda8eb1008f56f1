// Stancewire live view: current stances from /api/stances, then changes, alerts and the dead-letter
// count from /api/events (server-sent events), and the worker's state from /health. No libraries,
// nothing from the internet, and every piece of data goes into the page as text (textContent), never HTML.
"use strict";

const stances = new Map(); // "actor|topic" -> {actor, topic, topic_label, stance, score, evidence, article_id, published_at}
const articles = new Map(); // article id -> {headline, source, url, published_at}
const activity = { actors: new Map(), topics: new Map() }; // name -> changes seen (plus one per pair)
const entries = new Map(); // change id -> its feed entry
const pendingAlerts = new Map(); // change id -> alert that arrived before its change
const seenAlerts = new Set();
const filter = { actor: null, topic: null, text: "" };
const feedLimit = 200;
const chipLimit = 24;
const rowLimit = 300; // rows drawn at most (the filters narrow the rest down)
let health = null; // the last /health body (null: not reached)
const $ = (id) => document.getElementById(id);

function el(tag, content, cls) {
  const node = document.createElement(tag);
  if (content !== undefined && content !== null) node.textContent = String(content);
  if (cls) node.className = cls;
  return node;
}

// "2025-09-08T08:00:00Z" -> "2025-09-08 08:00 UTC" (publication times: minutes are enough)
function when(iso) {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return "";
  return t.toISOString().slice(0, 16).replace("T", " ") + " UTC";
}

function safeUrl(url) {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch (e) {
    return null;
  }
}

function stanceText(s) {
  return `${s.stance} ${s.score >= 0 ? "+" : "−"}${Math.abs(s.score).toFixed(2)}`;
}

function badge(s) {
  const b = el("span", stanceText(s), "badge " + s.stance);
  b.style.opacity = String(0.55 + 0.45 * Math.min(1, Math.abs(s.score)));
  return b;
}

// "source · headline" (a link when the article has an http(s) url), or the article id when unseen
function articleLine(articleId, fallbackUrl) {
  const line = el("div", null, "article");
  const a = articles.get(articleId);
  if (!a) { // filled in when the article turns up (learn)
    line.classList.add("unknown");
    line.dataset.articleId = articleId;
    if (fallbackUrl) line.dataset.url = fallbackUrl;
  }
  const href = safeUrl((a && a.url) || fallbackUrl || "");
  if (a && a.source) line.append(el("span", a.source, "source"));
  const title = a && a.headline ? a.headline : `article ${articleId}`;
  if (href) {
    const link = el("a", title);
    link.href = href;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    line.append(link);
  } else {
    line.append(el("span", title));
  }
  return line;
}

// Remember an article; lines that showed only its id get its source and headline now.
function learn(article) {
  if (!article || !article.id) return;
  const known = articles.has(article.id);
  articles.set(article.id, article);
  if (known) return;
  for (const line of document.querySelectorAll(".article.unknown")) {
    if (line.dataset.articleId !== article.id) continue;
    line.replaceWith(articleLine(article.id, line.dataset.url));
  }
}

function bump(map, name, by = 1) {
  map.set(name, (map.get(name) || 0) + by);
}

function topicLabel(topic) {
  for (const s of stances.values()) if (s.topic === topic) return s.topic_label || topic;
  return topic;
}

function matches(s) {
  if (filter.actor && s.actor !== filter.actor) return false;
  if (filter.topic && s.topic !== filter.topic) return false;
  if (!filter.text) return true;
  const a = articles.get(s.article_id) || {};
  const hay = [s.actor, s.topic, s.topic_label, s.evidence, s.stance, a.headline, a.source].join(" ").toLowerCase();
  return hay.includes(filter.text);
}

function renderChips(container, counts, selected, label, onPick) {
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || label(a[0]).localeCompare(label(b[0])));
  const shown = sorted.slice(0, chipLimit);
  if (selected && !shown.some(([name]) => name === selected)) {
    const found = sorted.find(([name]) => name === selected);
    if (found) shown.push(found);
  }
  const chips = shown.map(([name, count]) => {
    const chip = el("button", label(name), "chip" + (name === selected ? " selected" : ""));
    chip.type = "button";
    chip.dataset.name = name;
    chip.append(el("b", count));
    chip.addEventListener("click", () => onPick(name === selected ? null : name));
    return chip;
  });
  if (sorted.length > shown.length) chips.push(el("span", `+${sorted.length - shown.length} more (type to filter)`, "chip more"));
  container.replaceChildren(...chips);
}

function renderBoard(flashKey) {
  $("pair-count").textContent = String(stances.size);
  renderChips($("actors"), activity.actors, filter.actor, (a) => a, (a) => { filter.actor = a; renderBoard(); });
  renderChips($("topics"), activity.topics, filter.topic, topicLabel, (t) => { filter.topic = t; renderBoard(); });
  $("filter-clear").hidden = !(filter.actor || filter.topic || filter.text);
  for (const facet of document.querySelectorAll(".facet")) facet.hidden = stances.size === 0;
  // most active actors first, then their most recently published stance first
  const rows = [...stances.values()].filter(matches).sort((a, b) =>
    (activity.actors.get(b.actor) || 0) - (activity.actors.get(a.actor) || 0) ||
    a.actor.localeCompare(b.actor) || b.published_at.localeCompare(a.published_at));
  const body = rows.slice(0, rowLimit).map((s) => {
    const key = s.actor + "|" + s.topic;
    const tr = el("tr", null, "pair");
    tr.dataset.key = key;
    tr.dataset.actor = s.actor;
    tr.dataset.topic = s.topic;
    tr.dataset.stance = s.stance;
    tr.title = `${s.actor} on ${s.topic_label || s.topic}: ${stanceText(s)}\n“${s.evidence}”`;
    const evidence = el("td");
    evidence.append(el("div", `“${s.evidence}”`, "quote"), articleLine(s.article_id));
    const stanceCell = el("td");
    stanceCell.append(badge(s));
    tr.append(el("td", s.actor, "actor"), el("td", s.topic_label || s.topic), stanceCell, evidence,
      el("td", when(s.published_at), "when"));
    tr.addEventListener("click", () => showDetail(s.actor, s.topic));
    if (key === flashKey) tr.classList.add("flash");
    return tr;
  });
  $("board").tBodies[0].replaceChildren(...body);
  $("board").hidden = rows.length === 0;
  const hidden = stances.size - rows.length;
  const cut = rows.length - body.length;
  $("board-hidden").hidden = (hidden === 0 && cut === 0) || rows.length === 0;
  $("board-hidden").textContent = [cut ? `${cut} more pair(s) not drawn: filter to see them` : "",
    hidden ? `${hidden} pair(s) hidden by the filters` : ""].filter(Boolean).join("; ");
  renderEmpty(rows.length);
}

function stage(name) {
  return health && health.stages ? health.stages.find((s) => s.stage === name) : undefined;
}

function duration(seconds) {
  if (seconds === null || seconds === undefined) return "";
  if (seconds < 60) return `${Math.round(seconds)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${String(Math.round(seconds % 60)).padStart(2, "0")}s`;
  return `${Math.floor(seconds / 3600)}h ${String(Math.floor((seconds % 3600) / 60)).padStart(2, "0")}m`;
}

// What the empty board says: what the worker is doing right now, from /health.
function emptyText() {
  const raw = stage("extract");
  const waiting = raw ? raw.waiting : 0;
  const articlesWaiting = waiting ? ` ${waiting} article(s) are waiting in ${raw.topic}.` : "";
  if (!health) return "Connecting to the worker…";
  if (health.status === "broker_unreachable") return "The worker cannot reach its Kafka broker; it keeps trying.";
  if (health.status === "unassigned") {
    return "Waiting for the worker to join its consumer group (a few seconds on the embedded broker)." + articlesWaiting;
  }
  const busy = (health.stages || []).some((s) => s.waiting > 0);
  if (waiting) {
    const eta = raw.eta_seconds ? `, about ${duration(raw.eta_seconds)} to go` : "";
    return `Working: ${waiting} article(s) waiting to be read${eta}. Stances appear here as they are found.`;
  }
  if (busy) return "Working: the articles are read; their statements are on their way through the pipeline.";
  if (raw && raw.consumed) return "No stances yet: the articles read so far held no statement on a known topic.";
  return "No stances yet: feed some articles (stancewire feed FILE --broker URL).";
}

function renderEmpty(shown) {
  const empty = $("board-empty");
  if (stances.size > 0 && shown === 0) {
    empty.textContent = "No pair matches the filters.";
    empty.hidden = false;
    return;
  }
  empty.hidden = stances.size > 0;
  if (stances.size === 0) empty.textContent = emptyText();
}

function renderHealth() {
  const worker = $("worker");
  const backlog = $("backlog");
  if (!health) {
    worker.textContent = "worker unreachable";
    worker.className = "pill off";
  } else if (health.status === "ok") {
    worker.textContent = `worker: ${health.assigned_partitions} partitions`;
    worker.className = "pill on";
  } else {
    worker.textContent = health.status === "unassigned" ? "worker joining…" : "broker unreachable";
    worker.className = "pill " + (health.status === "unassigned" ? "busy" : "off");
  }
  const stages = (health && health.stages) || [];
  const waiting = stages.reduce((n, s) => n + s.waiting, 0);
  if (!stages.length) {
    backlog.textContent = "backlog –";
    backlog.className = "pill";
  } else if (waiting === 0) {
    backlog.textContent = "all processed";
    backlog.className = "pill";
  } else {
    const etas = stages.filter((s) => s.waiting > 0).map((s) => s.eta_seconds);
    const eta = etas.every((e) => e !== null) ? ` · ~${duration(Math.max(...etas))}` : "";
    backlog.textContent = `backlog ${waiting}${eta}`;
    backlog.className = "pill busy";
  }
  backlog.title = stages.map((s) => `${s.stage} (${s.topic}): ${s.waiting} waiting` +
    (s.drain_rate !== null ? `, ${s.drain_rate}/s` : "")).join("\n");
  renderEmpty($("board").tBodies[0].children.length);
}

async function loadHealth() {
  try {
    const response = await fetch("/health");
    health = await response.json(); // 503 while joining or without a broker: the body says which
  } catch (e) {
    health = null;
  }
  renderHealth();
}

function remember(list) {
  for (const [id, a] of Object.entries(list || {})) learn({ ...a, id });
}

async function loadStances() {
  try {
    const response = await fetch("/api/stances");
    if (!response.ok) return;
    const body = await response.json();
    remember(body.articles);
    for (const s of body.stances) {
      const key = s.actor + "|" + s.topic;
      const held = stances.get(key);
      if (!held) {
        bump(activity.actors, s.actor);
        bump(activity.topics, s.topic);
      }
      if (!held || held.published_at <= s.published_at) stances.set(key, s);
    }
    renderBoard();
  } catch (e) {
    /* the worker may be restarting: the next refresh tries again */
  }
}

async function showDetail(actor, topic) {
  const response = await fetch(`/api/stances/${encodeURIComponent(actor)}/${encodeURIComponent(topic)}`);
  if (!response.ok) return;
  const d = await response.json();
  remember(d.articles);
  $("detail-title").textContent = `${actor} on ${d.topic_label}`;
  $("detail-current").replaceChildren(badge(d.current), ` since ${when(d.current.published_at)}`);
  $("detail-evidence").textContent = d.current.evidence;
  $("detail-article").replaceChildren(...articleLine(d.current.article_id).childNodes);
  $("detail-history").replaceChildren(...d.history.slice().reverse().map((c) => {
    const li = el("li");
    const line = el("div", null, "line");
    line.append(el("span", c.kind, "tag " + c.kind),
      el("span", `${c.previous ? c.previous.stance + " → " : ""}${c.current.stance} (Δ ${c.delta.toFixed(2)})`),
      el("span", when(c.current.published_at), "time"));
    li.append(line, el("div", `“${c.current.evidence}”`, "quote"), articleLine(c.current.article_id, c.url));
    return li;
  }));
  $("detail").hidden = false;
  $("detail").scrollIntoView({ block: "nearest" });
}

function severityTag(alert) {
  const tag = el("span", alert.severity, "sev " + alert.severity);
  tag.title = `alert ${alert.rule}: ${alert.title}`;
  return tag;
}

function attachAlert(li, alert) {
  li.dataset.rule = alert.rule;
  li.dataset.severity = alert.severity;
  li.classList.add("severity-" + alert.severity);
  li.querySelector(".line").insertBefore(severityTag(alert), li.querySelector(".line .time"));
}

function prepend(li) {
  const feed = $("feed");
  feed.prepend(li);
  while (feed.children.length > feedLimit) {
    const last = feed.lastChild;
    if (last.dataset.changeId) entries.delete(last.dataset.changeId);
    last.remove();
  }
  $("feed-empty").hidden = true;
}

function addChange(change) {
  if (entries.has(change.id)) return;
  const li = el("li", null, "change");
  li.dataset.kind = change.kind;
  li.dataset.changeId = change.id;
  const line = el("div", null, "line");
  const move = `${change.previous ? change.previous.stance + " → " : ""}${change.current.stance}`;
  line.append(el("span", change.kind, "tag " + change.kind), el("span", when(change.current.published_at), "time"));
  li.append(line, el("div", `${change.actor} on ${change.topic_label}: ${move}`, "what"),
    el("div", `“${change.current.evidence}”`, "quote"), articleLine(change.current.article_id, change.url));
  entries.set(change.id, li);
  const alert = pendingAlerts.get(change.id);
  if (alert) {
    pendingAlerts.delete(change.id);
    attachAlert(li, alert);
  }
  prepend(li);
}

function addAlert(alert) {
  learn(alert.article);
  if (seenAlerts.has(alert.id)) return;
  seenAlerts.add(alert.id);
  if (alert.change_id) { // one entry per change: the alert's severity goes on it
    const li = entries.get(alert.change_id);
    if (li) attachAlert(li, alert);
    else pendingAlerts.set(alert.change_id, alert);
    return;
  }
  const li = el("li", null, "alert severity-" + alert.severity);
  li.dataset.rule = alert.rule;
  li.dataset.severity = alert.severity;
  const line = el("div", null, "line");
  line.append(el("span", alert.statement_id ? "statement" : "spike", "tag statement"), severityTag(alert),
    el("span", when(alert.event_at), "time"));
  li.append(line, el("div", alert.title, "what"));
  if (alert.evidence) li.append(el("div", `“${alert.evidence}”`, "quote"));
  li.append(articleLine(alert.article_id, alert.url));
  prepend(li);
}

function onChange(change) {
  learn(change.article);
  const key = change.actor + "|" + change.topic;
  const held = stances.get(key);
  bump(activity.actors, change.actor, held ? 1 : 2);
  bump(activity.topics, change.topic, held ? 1 : 2);
  if (!held || held.published_at <= change.current.published_at) {
    stances.set(key, { actor: change.actor, topic: change.topic, topic_label: change.topic_label, ...change.current });
  }
  addChange(change);
  renderBoard(key);
}

function connect() {
  const events = new EventSource("/api/events");
  events.onopen = () => { $("connection").textContent = "live"; $("connection").className = "pill on"; };
  events.onerror = () => { $("connection").textContent = "reconnecting…"; $("connection").className = "pill off"; };
  events.addEventListener("change", (e) => onChange(JSON.parse(e.data)));
  events.addEventListener("alert", (e) => addAlert(JSON.parse(e.data)));
  events.addEventListener("stats", (e) => {
    const stats = JSON.parse(e.data);
    $("dlq-count").textContent = stats.dead_letters === null ? "–" : String(stats.dead_letters);
  });
}

$("detail-close").addEventListener("click", () => { $("detail").hidden = true; });
$("filter-text").addEventListener("input", (e) => { filter.text = e.target.value.trim().toLowerCase(); renderBoard(); });
$("filter-clear").addEventListener("click", () => {
  filter.actor = filter.topic = null;
  filter.text = $("filter-text").value = "";
  renderBoard();
});
loadHealth();
loadStances();
setInterval(loadHealth, 4000);
setInterval(loadStances, 10000); // silent score updates do not make a change event
connect();
