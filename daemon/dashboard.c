/*
 * GET / and GET /dashboard: the coordinator's one-page dashboard. It is a static
 * HTML page (no token needed to load it; nothing in it is private) whose script,
 * once a token is pasted in, calls the JSON API like any other client: today's
 * discharge requests and their status (GET /v1/discharges?date=), the outcome
 * figures of the last four weeks (GET /v1/outcomes) and the rosters of a locality
 * (GET /v1/rosters). The token stays in the page's sessionStorage only; it may
 * also be given in the fragment (/dashboard#token=...&locality=2), which browsers
 * never send to the server.
 */
#include <stdlib.h>
#include <string.h>

#include "hw_handlers.h"

static const char page[] =
    "<!doctype html>\n"
    "<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Homeward - coordinator dashboard</title>\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<style>\n"
    "body{font-family:system-ui,sans-serif;margin:0;background:#f4f6f8;color:#1d2733}\n"
    "header{background:#1f4e79;color:#fff;padding:12px 20px;display:flex;gap:16px;align-items:center;flex-wrap:wrap}\n"
    "header h1{font-size:20px;margin:0 16px 0 0}\n"
    "header input{padding:4px 6px}\n"
    "main{display:grid;grid-template-columns:1fr 1fr;gap:16px;padding:16px}\n"
    "section{background:#fff;border-radius:6px;padding:12px 16px;box-shadow:0 1px 2px rgba(0,0,0,.1)}\n"
    "section.wide{grid-column:1/3}\n"
    "h2{font-size:16px;margin:4px 0 10px}\n"
    "table{border-collapse:collapse;width:100%;font-size:13px}\n"
    "th,td{text-align:left;padding:4px 6px;border-bottom:1px solid #e3e7eb}\n"
    ".figure{display:inline-block;margin:0 18px 10px 0}\n"
    ".figure b{display:block;font-size:24px}\n"
    ".st{padding:1px 6px;border-radius:8px;font-size:12px;background:#ddd}\n"
    ".st.offered,.st.accepted{background:#cfe8cf}.st.waiting{background:#f7e0b5}.st.discharged{background:#cde}\n"
    ".st.cancelled{background:#eee;color:#777}\n"
    "#msg{color:#ffd27f}\n"
    "</style></head><body>\n"
    "<header><h1>Homeward</h1>\n"
    "<label>Token <input id=\"token\" type=\"password\" size=\"46\" placeholder=\"paste your API token\"></label>\n"
    "<label>Locality <input id=\"locality\" type=\"number\" min=\"1\" value=\"1\" style=\"width:4em\"></label>\n"
    "<label>Date <input id=\"date\" type=\"date\"></label>\n"
    "<button id=\"load\">Show</button><span id=\"msg\"></span></header>\n"
    "<main>\n"
    "<section><h2>Discharge requests ready today</h2><table id=\"discharges\"><thead><tr><th>#</th><th>Hospital</th>"
    "<th>Ready</th><th>Status</th><th>Start / earliest</th></tr></thead><tbody><tr><td colspan=\"5\">"
    "Paste a token and press Show.</td></tr></tbody></table></section>\n"
    "<section><h2>Outcomes, last 28 days</h2><div id=\"outcomes\">-</div></section>\n"
    "<section class=\"wide\"><h2>Rosters</h2><table id=\"rosters\"><thead><tr><th>Worker</th><th>Visits</th>"
    "<th>Travel</th><th>Day</th></tr></thead><tbody></tbody></table></section>\n"
    "</main>\n"
    "<script>\n"
    "'use strict';\n"
    "const $ = (id) => document.getElementById(id);\n"
    "const esc = (s) => String(s == null ? '' : s).replace(/[&<>\"]/g, (c) => ({'&':'&amp;','<':'&lt;','>':'&gt;','\"':'&quot;'}[c]));\n"
    "const hm = (iso) => iso ? iso.substring(11, 16) : '';\n"
    "const today = new Date().toISOString().substring(0, 10);\n"
    "$('date').value = today;\n"
    "const hash = new URLSearchParams(location.hash.substring(1));\n"
    "$('token').value = hash.get('token') || sessionStorage.getItem('homeward-token') || '';\n"
    "if (hash.get('locality')) $('locality').value = hash.get('locality');\n"
    "async function api(path) {\n"
    "  const r = await fetch(path, {headers: {Authorization: 'Bearer ' + $('token').value.trim()}});\n"
    "  const j = await r.json();\n"
    "  if (!r.ok) throw new Error(path.split('?')[0] + ': ' + (j.detail || j.title || r.status));\n"
    "  return j;\n"
    "}\n"
    "function figure(label, value, unit) {\n"
    "  return '<span class=\"figure\"><b>' + (value == null ? '-' : esc(value) + (unit || '')) + '</b>' + esc(label) + '</span>';\n"
    "}\n"
    "async function showDischarges(date) {\n"
    "  const j = await api('/v1/discharges?date=' + date);\n"
    "  $('discharges').tBodies[0].innerHTML = j.discharges.map((d) => '<tr><td>' + d.id + '</td><td>' + esc(d.hospital) +\n"
    "    ' ' + esc(d.ward) + '</td><td>' + hm(d.ready_at) + '</td><td><span class=\"st ' + esc(d.status) + '\">' +\n"
    "    esc(d.status) + '</span></td><td>' + (d.offered_start ? hm(d.offered_start) : esc(d.earliest || '')) +\n"
    "    '</td></tr>').join('') || '<tr><td colspan=\"5\">No requests ready on this day.</td></tr>';\n"
    "}\n"
    "async function showOutcomes(date) {\n"
    "  const from = new Date(Date.parse(date) - 27 * 86400000).toISOString().substring(0, 10);\n"
    "  const o = await api('/v1/outcomes?from=' + from + '&to=' + date);\n"
    "  $('outcomes').innerHTML = figure('same-day discharge', o.same_day_discharge_pct, '%') +\n"
    "    figure('occupied bed days', o.occupied_bed_days) + figure('discharged', o.discharged) +\n"
    "    figure('travel share', o.travel_share_pct, '%') + figure('punctuality', o.punctuality_pct, '%') +\n"
    "    figure('unallocated visit hours', o.unallocated_visit_hours);\n"
    "}\n"
    "async function showRosters(date, locality) {\n"
    "  const j = await api('/v1/rosters?date=' + date + '&locality=' + locality);\n"
    "  $('rosters').tBodies[0].innerHTML = j.rosters.map((r) => '<tr><td>' + esc(r.worker.name) + '</td><td>' +\n"
    "    r.visits.length + '</td><td>' + Math.round(r.travel_seconds / 60) + ' min</td><td>' +\n"
    "    r.visits.map((v) => hm(v.start) + ' ' + esc(v.client && v.client.name)).join(' &middot; ') + '</td></tr>').join('') ||\n"
    "    '<tr><td colspan=\"4\">No rosters published for this day.</td></tr>';\n"
    "}\n"
    "async function load() {\n"
    "  sessionStorage.setItem('homeward-token', $('token').value.trim());\n"
    "  const date = $('date').value || today, locality = $('locality').value || '1';\n"
    "  $('msg').textContent = '';\n"
    "  const jobs = [showDischarges(date), showOutcomes(date), showRosters(date, locality)];\n"
    "  for (const r of await Promise.allSettled(jobs))\n"
    "    if (r.status === 'rejected') $('msg').textContent += ' ' + r.reason.message;\n"
    "}\n"
    "$('load').addEventListener('click', load);\n"
    "if ($('token').value) load();\n"
    "</script></body></html>\n";

static void dashboard(hw_exchange *x) {
  char *body = malloc(sizeof page);
  if (!body) {
    hw_answer_problem(x, 500, "out of memory", NULL);
    return;
  }
  memcpy(body, page, sizeof page);
  hw_answer_body(x, 200, "text/html; charset=utf-8", body, sizeof page - 1);
}

const hw_handler hw_handler_dashboard = {.name = "dashboard", .roles = 0, .read = dashboard};
