// Stancewire live view: the grid from /api/stances, then changes, alerts and the dead-letter
// count from /api/events (server-sent events). No libraries, nothing from the internet.
"use strict";

const stances = new Map(); // "actor|topic" -> {actor, topic, topic_label, stance, score, evidence, published_at}
const feedLimit = 200;
const seen = new Set(); // ids already in the feed (a reconnect replays the recent ones)
const $ = (id) => document.getElementById(id);

function text(tag, content, cls) {
  const el = document.createElement(tag);
  el.textContent = content;
  if (cls) el.className = cls;
  return el;
}

function renderGrid(flashKey) {
  const actors = [...new Set([...stances.values()].map((s) => s.actor))].sort();
  const topics = [...new Map([...stances.values()].map((s) => [s.topic, s.topic_label || s.topic])).entries()]
    .sort((a, b) => a[1].localeCompare(b[1]));
  const grid = $("grid");
  $("grid-empty").hidden = stances.size > 0;
  $("pair-count").textContent = String(stances.size);
  const head = document.createElement("tr");
  head.appendChild(document.createElement("th"));
  for (const [, label] of topics) head.appendChild(text("th", label));
  grid.tHead.replaceChildren(head);
  const rows = actors.map((actor) => {
    const row = document.createElement("tr");
    row.appendChild(text("th", actor));
    for (const [topic] of topics) {
      const key = actor + "|" + topic;
      const s = stances.get(key);
      const cell = text("td", s ? s.score.toFixed(1) : "", "cell" + (s ? " " + s.stance : ""));
      cell.dataset.key = key;
      cell.dataset.actor = actor;
      cell.dataset.topic = topic;
      if (s) {
        cell.dataset.stance = s.stance;
        cell.style.opacity = String(0.45 + 0.55 * Math.min(1, Math.abs(s.score)));
        cell.title = `${actor} on ${s.topic_label || topic}: ${s.stance} (${s.score})\n“${s.evidence}”\n${s.published_at}`;
        cell.addEventListener("click", () => showDetail(actor, topic));
      }
      if (key === flashKey) {
        cell.classList.add("flash");
        setTimeout(() => cell.classList.remove("flash"), 2500);
      }
      row.appendChild(cell);
    }
    return row;
  });
  grid.tBodies[0].replaceChildren(...rows);
}

async function loadStances() {
  try {
    const response = await fetch("/api/stances");
    if (!response.ok) return;
    const body = await response.json();
    for (const s of body.stances) {
      const held = stances.get(s.actor + "|" + s.topic);
      if (!held || held.published_at <= s.published_at) stances.set(s.actor + "|" + s.topic, s);
    }
    renderGrid();
  } catch (e) {
    /* the worker may be restarting: the next refresh tries again */
  }
}

async function showDetail(actor, topic) {
  const response = await fetch(`/api/stances/${encodeURIComponent(actor)}/${encodeURIComponent(topic)}`);
  if (!response.ok) return;
  const d = await response.json();
  $("detail-title").textContent = `${actor} on ${d.topic_label}`;
  $("detail-current").textContent = `${d.current.stance} (${d.current.score}) since ${d.current.published_at}` +
    ` — article ${d.current.article_id}, served by ${d.served_by}`;
  $("detail-evidence").textContent = d.current.evidence;
  $("detail-history").replaceChildren(...d.history.slice().reverse().map((c) => {
    const li = text("li", "");
    li.append(text("span", c.kind, "tag " + c.kind),
      `${c.previous ? c.previous.stance + " → " : ""}${c.current.stance} (Δ ${c.delta}) “${c.current.evidence}”`,
      text("span", c.current.published_at, "when"));
    return li;
  }));
  $("detail").hidden = false;
}

function addFeedItem(kind, data) {
  if (seen.has(kind + data.id)) return;
  seen.add(kind + data.id);
  const li = document.createElement("li");
  li.className = kind;
  if (kind === "change") {
    li.dataset.kind = data.kind;
    li.append(text("span", data.kind, "tag " + data.kind),
      `${data.actor} on ${data.topic_label}: ${data.previous ? data.previous.stance + " → " : ""}${data.current.stance}`,
      text("span", data.detected_at, "when"));
  } else {
    li.dataset.rule = data.rule;
    li.append(text("span", data.severity, "tag " + data.severity), `${data.title}`,
      text("span", data.created_at, "when"));
  }
  const feed = $("feed");
  feed.prepend(li);
  while (feed.children.length > feedLimit) feed.lastChild.remove();
}

function onChange(change) {
  const key = change.actor + "|" + change.topic;
  const held = stances.get(key);
  if (!held || held.published_at <= change.current.published_at) {
    stances.set(key, { actor: change.actor, topic: change.topic, topic_label: change.topic_label, ...change.current });
    renderGrid(key);
  }
  addFeedItem("change", change);
}

function connect() {
  const events = new EventSource("/api/events");
  events.onopen = () => { $("connection").textContent = "live"; $("connection").className = "pill on"; };
  events.onerror = () => { $("connection").textContent = "reconnecting…"; $("connection").className = "pill off"; };
  events.addEventListener("change", (e) => onChange(JSON.parse(e.data)));
  events.addEventListener("alert", (e) => addFeedItem("alert", JSON.parse(e.data)));
  events.addEventListener("stats", (e) => {
    const stats = JSON.parse(e.data);
    $("dlq-count").textContent = stats.dead_letters === null ? "–" : String(stats.dead_letters);
  });
}

$("detail-close").addEventListener("click", () => { $("detail").hidden = true; });
loadStances();
setInterval(loadStances, 10000); // silent score updates do not make a change event
connect();
