/*
 * Homeward workspace: the coordinator's rota board, discharge board, waiting
 * list and outcome charts, and a worker's own roster, on the JSON API alone.
 * Plain JavaScript, no build step, no library. The token is kept in this tab's
 * sessionStorage (or given once in the fragment: /#token=...&locality=1, which
 * browsers never send to a server). Every time shown is Europe/London: the API
 * writes local times with their offset, so the wall clock is read from the text
 * and never converted by the browser's own zone. The page follows the change
 * feed (GET /v1/events, a long poll) and redraws what an event touched.
 */
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const GRACE_MIN = 30;
  const S = {
    token: '', locality: 1, date: '', me: null, now: '', gen: 0, timer: 0,
    workers: [], rosters: [], dayVisits: new Map(), clients: new Map(), late: new Set(),
    draft: null, draftView: null, showDraft: false, selected: null,
  };

  /* ---- Small helpers ----------------------------------------------------------------- */

  /* An element with attributes (on* are listeners) and children (strings or nodes). */
  function h(tag, attrs, ...kids) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith('on')) el.addEventListener(k.substring(2), v);
      else if (k === 'class') el.className = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    for (const kid of kids.flat()) if (kid !== null && kid !== undefined) el.append(kid);
    return el;
  }
  const hm = (iso) => (iso ? iso.substring(11, 16) : '');
  const minuteOf = (iso) => Number(iso.substring(11, 13)) * 60 + Number(iso.substring(14, 16));
  const dayOf = (iso) => (iso ? iso.substring(0, 10) : '');
  function addDays(day, n) {
    const d = new Date(day + 'T12:00:00Z');
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().substring(0, 10);
  }
  const weekday = (day) => (new Date(day + 'T12:00:00Z').getUTCDay() + 6) % 7; /* 0 = Monday */
  const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  function nice(day) {
    const d = new Date(day + 'T12:00:00Z');
    return d.toLocaleDateString('en-GB', {weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC'});
  }
  const hhmm = (m) => String(Math.floor(m / 60)).padStart(2, '0') + ':' + String(m % 60).padStart(2, '0');
  function newKey() {
    const b = new Uint8Array(12);
    crypto.getRandomValues(b);
    return 'ui-' + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  }
  /* A line for the user: an error (red) or news (blue). */
  function say(text, error) {
    $('msg').textContent = text || '';
    $('msg').className = error ? 'error' : 'info';
  }
  const clientName = (id) => (S.clients.get(id) || {}).name || 'client ' + id;
  const workerName = (id) => (S.workers.find((w) => w.id === id) || {}).name || 'worker ' + id;
  const can = (...roles) => S.me && roles.includes(S.me.role);

  /* One API call: JSON in and out; a problem document becomes an Error naming its fields. */
  async function api(method, path, body) {
    const opt = {method, headers: {Authorization: 'Bearer ' + S.token}};
    if (body !== undefined) {
      opt.headers['Content-Type'] = 'application/json';
      opt.body = JSON.stringify(body);
    }
    if (method !== 'GET') opt.headers['Idempotency-Key'] = newKey();
    const r = await fetch(path, opt);
    const text = await r.text();
    let j = null;
    try { j = text ? JSON.parse(text) : null; } catch (e) { j = null; }
    if (!r.ok) {
      const why = j && j.errors ? ' (' + j.errors.map((e) => (e.field ? e.field + ': ' : '') + e.reason).join('; ') + ')' : '';
      throw new Error(path.split('?')[0] + ': ' + ((j && (j.detail || j.title)) || r.status) + why);
    }
    return j;
  }

  /* Run a user's action; say what went wrong instead of throwing. */
  async function act(what, fn) {
    say('');
    try { await fn(); } catch (e) { say(what + ' failed: ' + e.message, true); }
  }

  /* ---- Rota board ----------------------------------------------------------------------- */

  function shiftOf(w, day) {
    const wd = DAYS[weekday(day)];
    const mine = (w.shifts || []).filter((s) => s.day === wd);
    if (!mine.length) return null;
    const toMin = (t) => Number(t.substring(0, 2)) * 60 + Number(t.substring(3, 5));
    return {start: Math.min(...mine.map((s) => toMin(s.start))), end: Math.max(...mine.map((s) => toMin(s.end)))};
  }

  /* The lanes of the board: each worker on shift or rostered, with their lines. */
  function lanes() {
    const byWorker = new Map();
    if (S.showDraft && S.draftView) {
      for (const r of S.draftView.rosters) {
        byWorker.set(r.worker_id, {lines: r.entries.map((e) => {
          const v = S.dayVisits.get(e.visit) || {duration: 30, client_id: 0};
          const endMin = minuteOf(e.start) + v.duration;
          return {visit: e.visit, start: e.start, end: dayOf(e.start) + 'T' + hhmm(endMin), travel_seconds: e.travel_seconds,
            client: {name: clientName(v.client_id)}, pinned: v.pinned, status: 'draft', duration: v.duration};
        }), frame: null});
      }
    } else {
      for (const r of S.rosters) byWorker.set(r.worker.id, {lines: r.visits, frame: r});
    }
    const out = [];
    for (const w of S.workers) {
      const got = byWorker.get(w.id);
      const shift = got && got.frame && got.frame.shift ? {start: minuteOf(got.frame.shift.start), end: minuteOf(got.frame.shift.end)} : shiftOf(w, S.date);
      if (!got && (!shift || !w.active)) continue;
      const brk = got && got.frame && got.frame.break && got.frame.break.start ? got.frame.break : null;
      out.push({worker: w, shift, brk, lines: got ? got.lines : []});
    }
    return out;
  }

  function span(ls) {
    let a = 7 * 60, b = 21 * 60;
    for (const l of ls) {
      if (l.shift) { a = Math.min(a, l.shift.start); b = Math.max(b, l.shift.end); }
      for (const v of l.lines) { a = Math.min(a, minuteOf(v.start) - 30); b = Math.max(b, minuteOf(v.end)); }
    }
    return {start: Math.max(0, Math.floor(a / 60) * 60), end: Math.min(24 * 60, Math.ceil(b / 60) * 60)};
  }

  function place(el, from, to, sp) {
    const len = sp.end - sp.start;
    el.style.left = ((from - sp.start) / len) * 100 + '%';
    el.style.width = (Math.max(to - from, 1) / len) * 100 + '%';
    return el;
  }

  function visitBlock(v, sp) {
    const late = S.late.has(v.visit);
    const cls = ['visit', v.status, v.pinned ? 'pinned' : '', late ? 'late' : '', S.selected === v.visit ? 'sel' : ''];
    const label = 'Visit ' + v.visit + ', ' + v.client.name + ', ' + hm(v.start) + ' to ' + hm(v.end) +
      (v.pinned ? ', pinned' : '') + (late ? ', late: no check-in' : '') + ', ' + v.status;
    const b = h('button', {type: 'button', class: cls.join(' '), 'data-visit': v.visit, 'aria-label': label, title: label,
      draggable: S.showDraft ? null : 'true', onclick: () => select(v.visit)}, (v.pinned ? '\u{1F4CC}' : '') + hm(v.start) + ' ' + v.client.name);
    b.addEventListener('dragstart', (e) => { e.dataTransfer.setData('text/plain', String(v.visit)); select(v.visit); });
    return place(b, minuteOf(v.start), minuteOf(v.end), sp);
  }

  function laneRow(l, sp) {
    const track = h('div', {class: 'track', role: 'gridcell', 'data-worker': l.worker.id});
    if (l.shift) track.append(place(h('div', {class: 'shift', title: 'shift ' + hhmm(l.shift.start) + '-' + hhmm(l.shift.end)}), l.shift.start, l.shift.end, sp));
    if (l.brk) track.append(place(h('div', {class: 'brk', title: 'break ' + hm(l.brk.start) + '-' + hm(l.brk.end)}), minuteOf(l.brk.start), minuteOf(l.brk.end), sp));
    for (const v of l.lines) {
      if (v.travel_seconds > 0) {
        const s = minuteOf(v.start);
        track.append(place(h('div', {class: 'travel', title: Math.round(v.travel_seconds / 60) + ' min travel'}), s - v.travel_seconds / 60, s, sp));
      }
      track.append(visitBlock(v, sp));
    }
    track.addEventListener('dragover', (e) => { e.preventDefault(); track.classList.add('over'); });
    track.addEventListener('dragleave', () => track.classList.remove('over'));
    track.addEventListener('drop', (e) => {
      e.preventDefault();
      track.classList.remove('over');
      const id = Number(e.dataTransfer.getData('text/plain'));
      const r = track.getBoundingClientRect();
      const m = sp.start + ((e.clientX - r.left) / r.width) * (sp.end - sp.start);
      const at = Math.round(m / 5) * 5;
      if (id) act('Moving the visit', () => moveVisit(id, l.worker.id, hhmm(at)));
    });
    const travel = l.lines.reduce((t, v) => t + v.travel_seconds, 0);
    const who = h('div', {class: 'who', role: 'rowheader', title: l.worker.name}, l.worker.name,
      h('br'), h('small', {}, l.lines.length + ' visits, ' + Math.round(travel / 60) + ' min travel'));
    return h('div', {class: 'lane', role: 'row'}, who, track);
  }

  function drawBoard() {
    const ls = lanes();
    const sp = span(ls);
    const ticks = h('div', {class: 'ticks'});
    for (let m = sp.start; m <= sp.end; m += 60) ticks.append(place(h('span', {class: 'tick'}, hhmm(m).substring(0, 2)), m, m, sp));
    const board = $('board');
    board.replaceChildren(h('div', {class: 'axis', role: 'row'}, h('div', {role: 'columnheader'}, 'Worker'), ticks),
      ...ls.map((l) => laneRow(l, sp)));
    if (!ls.length) board.append(h('p', {class: 'none'}, 'No worker is on shift or rostered on this day.'));
    $('rota-day').textContent = nice(S.date) + (S.showDraft ? ' - draft #' + S.draft.id : '');
    drawUnassigned();
    drawSelected();
  }

  function drawUnassigned() {
    const list = S.showDraft && S.draftView
      ? S.draftView.unplaced.map((u) => Object.assign({}, S.dayVisits.get(u.visit), {unplaced_reason: u.reason})).filter((v) => v.id)
      : [...S.dayVisits.values()].filter((v) => v.status === 'planned' && !v.planned_start);
    $('unassigned-count').textContent = '(' + list.length + ')';
    $('unassigned').replaceChildren(...(list.length ? list.map((v) => h('li', {},
      h('button', {type: 'button', onclick: () => select(v.id), 'aria-label': 'Select visit ' + v.id}, hm(v.window.start) + '-' + hm(v.window.end) + ' ' + clientName(v.client_id)),
      h('span', {class: 'why'}, (v.unplaced_reason || 'not planned yet').replace(/_/g, ' ')))) : [h('li', {class: 'none'}, 'Every visit of the day is placed.')]));
  }

  function drawLate() {
    const list = [...S.late].map((id) => S.dayVisits.get(id)).filter(Boolean);
    $('late-count').textContent = '(' + list.length + ')';
    $('late').replaceChildren(...(list.length ? list.map((v) => h('li', {class: 'late-item'},
      h('button', {type: 'button', onclick: () => select(v.id)}, hm(v.planned_start) + ' ' + clientName(v.client_id)),
      h('span', {}, 'with ' + v.worker_ids.map(workerName).join(' & ') + ': no check-in'))) : [h('li', {class: 'none'}, 'Nobody is late.')]));
  }

  function select(id) {
    S.selected = id;
    document.querySelectorAll('.visit.sel').forEach((b) => b.classList.remove('sel'));
    document.querySelectorAll('.visit[data-visit="' + id + '"]').forEach((b) => b.classList.add('sel'));
    drawSelected();
  }

  function drawSelected() {
    const v = S.selected ? S.dayVisits.get(S.selected) : null;
    $('sel-empty').hidden = !!v;
    $('sel-form').hidden = !v;
    if (!v) return;
    const where = v.planned_start ? 'with ' + v.worker_ids.map(workerName).join(' & ') + ' at ' + hm(v.planned_start) : 'not placed' + (v.unplaced_reason ? ' (' + v.unplaced_reason.replace(/_/g, ' ') + ')' : '');
    $('sel-text').textContent = 'Visit ' + v.id + ': ' + clientName(v.client_id) + ', ' + v.duration + ' min within ' + hm(v.window.start) + '-' + hm(v.window.end) + ', ' + v.status + ', ' + where + (v.pinned ? ', pinned' : '') + '.';
    const pin = $('sel-pin');
    pin.textContent = v.pinned ? 'Unpin' : 'Pin';
    pin.disabled = !v.planned_start || !can('coordinator', 'admin') || S.showDraft;
    const sel = $('sel-worker');
    sel.replaceChildren(...S.workers.filter((w) => w.active).map((w) => h('option', {value: w.id, selected: v.worker_ids[0] === w.id}, w.name)));
    $('sel-start').value = hm(v.planned_start || v.window.start);
    $('sel-move').disabled = !can('coordinator', 'admin') || S.showDraft;
  }

  async function moveVisit(id, workerId, time) {
    const v = S.dayVisits.get(id);
    const ids = [workerId];
    if (v && v.workers === 2) ids.push(v.worker_ids.find((w) => w !== workerId) || v.worker_ids[1]);
    const body = {worker_ids: ids.filter(Boolean).slice(0, 2), planned_start: S.date + 'T' + time};
    const res = await api('PATCH', '/v1/visits/' + id, body);
    say('Visit ' + id + ' moved to ' + workerName(workerId) + ' at ' + hm(res.planned_start) + (res.repair && res.repair.changes.length ? '; ' + res.repair.changes.length + ' other visit(s) re-placed' : '') + '.');
    await loadBoard();
  }

  async function togglePin() {
    const v = S.dayVisits.get(S.selected);
    if (!v) return;
    await api('PATCH', '/v1/visits/' + v.id, {pinned: !v.pinned});
    await loadBoard();
  }

  /* ---- Drafts and publishing --------------------------------------------------------- */

  async function loadDraft() {
    const j = await api('GET', '/v1/drafts?locality=' + S.locality + '&date=' + S.date + '&status=draft');
    S.draft = j.drafts[0] || null;
    S.draftView = S.draft ? await api('GET', '/v1/drafts/' + S.draft.id) : null;
    if (!S.draft) S.showDraft = false;
    $('draft-bar').hidden = !S.draft;
    if (S.draft) $('draft-text').textContent = 'Draft #' + S.draft.id + ': ' + S.draft.assigned + ' of ' + S.draft.visits + ' visits placed, ' + Math.round(S.draft.travel_seconds / 60) + ' min travel.';
    $('draft-view').setAttribute('aria-pressed', String(S.showDraft));
    $('draft-view').textContent = S.showDraft ? 'Show live' : 'Show draft';
    const planner = can('coordinator', 'admin');
    $('plan-draft').disabled = !planner;
    $('draft-publish').disabled = !planner;
    $('draft-discard').disabled = !planner;
  }

  async function planDraft() {
    let job = await api('POST', '/v1/plans', {locality: S.locality, date: S.date, time_limit_s: 5, publish: false});
    say('Planning ' + nice(S.date) + ' as a draft...');
    while (job.state === 'queued' || job.state === 'running') {
      await new Promise((r) => setTimeout(r, 500));
      job = await api('GET', '/v1/plans/' + job.id);
    }
    if (job.state !== 'done' && job.state !== 'cancelled') throw new Error(job.error || job.state);
    say('Draft #' + job.draft_id + ' is ready: ' + job.result.assigned + ' of ' + job.result.visits + ' visits placed. Review it, then publish.');
    S.showDraft = true;
    await loadBoard();
  }

  async function decideDraft(verb) {
    const r = await api('POST', '/v1/drafts/' + S.draft.id + '/' + verb);
    say(verb === 'publish' ? 'Published: ' + r.notes + ' change(s) sent to ' + r.workers_told + ' worker(s).' : 'Draft discarded.');
    S.showDraft = false;
    await loadBoard();
  }

  /* ---- Loading the panels --------------------------------------------------------------- */

  async function loadLate() {
    const j = await api('GET', '/v1/alerts/late?locality=' + S.locality + '&grace=' + GRACE_MIN);
    S.late = new Set(j.visits.map((v) => v.id));
    for (const v of j.visits) if (v.date === S.date) S.dayVisits.set(v.id, v);
    showNow(j.now);
    drawLate();
  }

  async function loadBoard() {
    const q = 'date=' + S.date + '&locality=' + S.locality;
    const [ro, vs] = await Promise.all([api('GET', '/v1/rosters?' + q), api('GET', '/v1/visits?' + q)]);
    S.rosters = ro.rosters;
    S.dayVisits = new Map(vs.visits.map((v) => [v.id, v]));
    await loadDraft();
    await loadLate();
    drawBoard();
  }

  function statusBadge(s) { return h('span', {class: 'st ' + s}, s); }

  function dischargeWhen(d) {
    if (d.status === 'discharged') return 'left ' + hm(d.discharged_at);
    if (d.offered_start) return (dayOf(d.offered_start) === S.date ? 'today ' : nice(dayOf(d.offered_start)) + ' ') + hm(d.offered_start);
    if (d.status === 'waiting') return d.earliest ? 'earliest ' + nice(d.earliest) : 'no date within the search';
    return '';
  }

  function dischargeActions(d) {
    const btn = (label, verb) => h('button', {type: 'button', 'data-action': verb, 'aria-label': label + ' request ' + d.id,
      onclick: () => act(label, async () => {
        const r = await api('POST', '/v1/discharges/' + d.id + '/' + verb, verb === 'discharged' ? {} : undefined);
        say('Request ' + d.id + ': ' + r.status + (r.status === 'waiting' && r.earliest ? ', earliest ' + nice(r.earliest) : '') + '.');
        await Promise.all([loadDischarges(), loadWaiting()]);
      })}, label);
    const out = [];
    if (can('coordinator', 'admin') && (d.status === 'requested' || d.status === 'waiting')) out.push(btn('Offer again', 'offer'));
    if (can('coordinator', 'admin', 'discharge') && d.status === 'offered') out.push(btn('Accept', 'accept'));
    if (can('coordinator', 'admin', 'discharge') && (d.status === 'offered' || d.status === 'accepted')) out.push(btn('Discharged', 'discharged'));
    return out;
  }

  const inLocality = (clientId) => S.clients.size === 0 || S.clients.has(clientId);

  async function loadDischarges() {
    const j = await api('GET', '/v1/discharges?date=' + S.date);
    const rows = j.discharges.filter((d) => inLocality(d.client_id)).map((d) => h('tr', {'data-discharge': d.id},
      h('td', {}, String(d.id)), h('td', {}, clientName(d.client_id), h('br'), h('small', {}, d.hospital + ', ' + d.ward)),
      h('td', {}, hm(d.ready_at)), h('td', {}, statusBadge(d.status)), h('td', {}, dischargeWhen(d)),
      h('td', {class: 'actions'}, dischargeActions(d))));
    $('discharge-rows').replaceChildren(...(rows.length ? rows : [h('tr', {}, h('td', {colspan: 6}, 'No discharge request is ready on this day.'))]));
  }

  async function loadWaiting() {
    const [refs, dis] = await Promise.all([api('GET', '/v1/referrals?status=waiting&locality=' + S.locality),
      api('GET', '/v1/discharges?status=waiting')]);
    const rows = refs.referrals.map((r) => h('tr', {},
      h('td', {}, 'Referral ' + r.id + ': ' + clientName(r.client_id), h('br'), h('small', {}, r.pathway + ', from ' + r.source.replace(/_/g, ' '))),
      h('td', {}, nice(dayOf(r.received_at))), h('td', {}, (r.waiting && r.waiting.reason) || 'no team has room yet'),
      h('td', {}, r.waiting && r.waiting.earliest ? nice(r.waiting.earliest) : 'not known')));
    for (const d of dis.discharges.filter((x) => inLocality(x.client_id)))
      rows.push(h('tr', {}, h('td', {}, 'Discharge ' + d.id + ': ' + clientName(d.client_id), h('br'), h('small', {}, d.hospital)),
        h('td', {}, nice(dayOf(d.ready_at))), h('td', {}, 'ready, no home support start offered yet'),
        h('td', {}, d.earliest ? nice(d.earliest) : 'not known')));
    $('waiting-rows').replaceChildren(...(rows.length ? rows : [h('tr', {}, h('td', {colspan: 4}, 'Nobody is waiting.'))]));
  }

  /* A bar chart of weeks[key] (null bars left out) with a dashed target line. */
  function barChart(weeks, key, target, cls, unit) {
    const NS = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(NS, 'svg');
    const W = 480, H = 180, L = 34, B = 22, T = 8;
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    svg.setAttribute('role', 'img');
    const vals = weeks.map((w) => w[key]);
    const max = Math.max(target * 1.2, ...vals.filter((v) => v !== null), 1);
    const y = (v) => H - B - ((H - B - T) * v) / max;
    const add = (tag, attrs, text) => {
      const el = document.createElementNS(NS, tag);
      for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
      if (text !== undefined) el.textContent = text;
      svg.append(el);
      return el;
    };
    const bw = (W - L) / Math.max(weeks.length, 1);
    weeks.forEach((w, i) => {
      const v = w[key];
      const x = L + i * bw;
      if (v !== null && v !== undefined) {
        add('rect', {class: 'bar ' + cls, x: x + 2, y: y(v), width: bw - 4, height: Math.max(H - B - y(v), 0.5)});
        add('text', {x: x + bw / 2, y: y(v) - 2, 'text-anchor': 'middle'}, String(Math.round(v)));
      }
      add('text', {x: x + bw / 2, y: H - 6, 'text-anchor': 'middle'}, w.week_start.substring(8, 10) + '/' + w.week_start.substring(5, 7));
    });
    add('line', {class: 'target', x1: L, x2: W, y1: y(target), y2: y(target)});
    add('text', {x: 2, y: y(target) + 3}, target + unit);
    add('title', {}, weeks.map((w) => w.week_start + ': ' + (w[key] === null ? 'none' : w[key] + unit)).join('; '));
    return svg;
  }

  async function loadOutcomes() {
    const monday = addDays(S.date, -weekday(S.date));
    const o = await api('GET', '/v1/outcomes?from=' + addDays(monday, -77) + '&to=' + S.date);
    $('chart-beds').replaceChildren(barChart(o.weeks, 'occupied_bed_days', 70, '', ''));
    $('chart-same').replaceChildren(barChart(o.weeks, 'same_day_discharge_pct', 100, 'pct', '%'));
  }

  async function loadPeople() {
    const [ws, cs] = await Promise.all([api('GET', '/v1/workers?locality=' + S.locality), api('GET', '/v1/clients?locality=' + S.locality)]);
    S.workers = ws.workers;
    S.clients = new Map(cs.clients.map((c) => [c.id, c]));
  }

  function showNow(iso) {
    S.now = iso;
    $('now').textContent = iso ? 'Now ' + nice(dayOf(iso)) + ' ' + hm(iso) : '';
  }

  /* ---- A worker's own roster ---------------------------------------------------------- */

  async function loadMine() {
    const [days, ch] = await Promise.all([api('GET', '/v1/me/roster'), api('GET', '/v1/me/changes?limit=20')]);
    const changeText = (n) => {
      if (n.kind === 'added') return nice(n.date) + ': a visit added at ' + hm(n.to);
      if (n.kind === 'removed') return nice(n.date) + ': the visit at ' + hm(n.from) + ' taken off';
      return nice(n.date) + ': a visit moved from ' + hm(n.from) + ' to ' + hm(n.to);
    };
    $('my-changes').replaceChildren(...(ch.changes.length ? [h('strong', {}, 'What changed when your rosters were published:'),
      h('ul', {}, ch.changes.map((n) => h('li', {'data-note': n.id}, changeText(n))))] : []));
    $('mine-h').textContent = 'My roster: ' + days.worker.name;
    $('my-days').replaceChildren(...days.days.map((d) => h('div', {class: 'day'},
      h('h3', {}, nice(d.date) + (d.shift ? ' (' + hm(d.shift.start) + '-' + hm(d.shift.end) + ')' : ' - not on shift')),
      d.visits.length ? h('ol', {}, d.visits.map((v) => h('li', {'data-visit': v.visit},
        hm(v.start) + '-' + hm(v.end) + ' ' + v.client.name + ' (' + Math.round(v.travel_seconds / 60) + ' min travel before)',
        v.status === 'assigned' && d.date === dayOf(S.now) ? h('button', {type: 'button', onclick: () => act('Check-in', () => stamp(v.visit, 'check-in'))}, 'Check in') : null,
        v.status === 'in_progress' ? h('button', {type: 'button', onclick: () => act('Check-out', () => stamp(v.visit, 'check-out'))}, 'Check out') : null)),
        d.break && d.break.start ? h('li', {class: 'brk-line'}, hm(d.break.start) + '-' + hm(d.break.end) + ' break') : null) : h('p', {}, 'No visits.'))));
  }

  async function stamp(id, verb) {
    await api('POST', '/v1/visits/' + id + '/' + verb);
    await loadMine();
  }

  /* ---- The change feed ------------------------------------------------------------------- */

  function touches(ev) {
    const p = ev.payload || {};
    return {
      board: !!(p.visits || p.rosters || p.drafts || p.absences),
      discharges: !!(p.discharges),
      waiting: !!(p.referrals || p.discharges),
    };
  }

  async function follow(gen) {
    let cursor = (await api('GET', '/healthz')).events;
    $('live').className = 'live on';
    $('live').textContent = 'live';
    while (gen === S.gen) {
      let page;
      try {
        page = await api('GET', '/v1/events?after=' + cursor + '&wait=25&limit=500');
      } catch (e) {
        $('live').className = 'live off';
        $('live').textContent = 'reconnecting';
        await new Promise((r) => setTimeout(r, 5000));
        continue;
      }
      if (gen !== S.gen) return;
      $('live').className = 'live on';
      $('live').textContent = 'live';
      cursor = page.next;
      const t = {board: false, discharges: false, waiting: false};
      for (const ev of page.events) for (const [k, v] of Object.entries(touches(ev))) t[k] = t[k] || v;
      const jobs = [];
      if (t.board) jobs.push(loadBoard());
      if (t.discharges) jobs.push(loadDischarges());
      if (t.waiting) jobs.push(loadWaiting());
      for (const r of await Promise.allSettled(jobs)) if (r.status === 'rejected') say(r.reason.message, true);
    }
  }

  /* ---- Start ----------------------------------------------------------------------------- */

  function coordinatorView(on) {
    for (const id of ['rota', 'discharges', 'waiting', 'outcomes']) $(id).hidden = !on;
    $('mine').hidden = on;
  }

  async function start() {
    const gen = ++S.gen;
    clearInterval(S.timer);
    S.token = $('token').value.trim();
    S.locality = Number($('locality').value) || 1;
    sessionStorage.setItem('homeward-token', S.token);
    sessionStorage.setItem('homeward-locality', String(S.locality));
    say('');
    S.me = await api('GET', '/v1/me');
    showNow(S.me.now);
    if (!$('date').value) $('date').value = dayOf(S.me.now);
    S.date = $('date').value;
    $('who').textContent = S.me.name + ' (' + S.me.role + ')';
    if (S.me.role === 'worker') {
      coordinatorView(false);
      $('live').textContent = 'refreshed each minute';
      await loadMine();
      S.timer = setInterval(() => act('Refreshing', loadMine), 60000);
      return;
    }
    coordinatorView(true);
    if (S.me.role === 'discharge') {
      for (const id of ['rota', 'waiting', 'outcomes']) $(id).hidden = true;
      await loadDischarges();
      return;
    }
    await loadPeople();
    const jobs = [loadBoard(), loadDischarges(), loadWaiting(), loadOutcomes()];
    for (const r of await Promise.allSettled(jobs)) if (r.status === 'rejected') say(r.reason.message, true);
    follow(gen).catch((e) => say('The change feed stopped: ' + e.message, true));
    S.timer = setInterval(() => loadLate().then(drawBoard).catch((e) => say(e.message, true)), 60000);
  }

  function init() {
    const frag = new URLSearchParams(location.hash.substring(1));
    $('token').value = frag.get('token') || sessionStorage.getItem('homeward-token') || '';
    $('locality').value = frag.get('locality') || sessionStorage.getItem('homeward-locality') || '1';
    if (frag.get('date')) $('date').value = frag.get('date');
    if (frag.get('token')) history.replaceState(null, '', location.pathname); /* keep the token out of the history */
    $('login').addEventListener('submit', (e) => { e.preventDefault(); act('Loading', start); });
    $('plan-draft').addEventListener('click', () => act('Planning', planDraft));
    $('draft-publish').addEventListener('click', () => act('Publishing', () => decideDraft('publish')));
    $('draft-discard').addEventListener('click', () => act('Discarding', () => decideDraft('discard')));
    $('draft-view').addEventListener('click', () => { S.showDraft = !S.showDraft; act('Showing the draft', async () => { await loadDraft(); drawBoard(); }); });
    $('sel-pin').addEventListener('click', () => act('Pinning', togglePin));
    $('sel-form').addEventListener('submit', (e) => {
      e.preventDefault();
      act('Moving the visit', () => moveVisit(S.selected, Number($('sel-worker').value), $('sel-start').value));
    });
    document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && S.selected) { S.selected = null; drawSelected(); } });
    if ($('token').value) act('Loading', start);
  }

  init();
})();
