// Offline logging on the patient's pages (issue 15). Without a connection, the quick log,
// "It's over" and the daily check-in are saved on this phone (offline-queue.js) and sent
// when the connection is back; the warning-sign question and the emergency prompt come
// from the published guidance the service worker keeps. Online, the forms post as before.
(function () {
  "use strict";
  var script = document.currentScript;
  var Q = window.SpasmQueue;
  if (!script || !Q || !("indexedDB" in window)) return;
  var config = script.dataset;
  var user = config.user;
  var statusRegion = document.querySelector("[data-offline-status]");
  var guidance = null;
  var justSent = [];
  var retryDelay = 0;
  var retryTimer = null;
  var END_ACTION = /^\/episodes\/(\d+)\/end\/$/;
  var WORSE_ACTION = /^\/episodes\/(\d+)\/worse\/$/;
  var SIGNS_ACTION = /^\/episodes\/(\d+)\/warning-signs\/$/;

  var ENGLISH = {
    saved: "Saved on this phone; it will be sent when you are back online.",
    waiting: "Waiting to be sent: {count}",
    checkin_saved: "Check-in saved on this phone; it will be sent when you are back online.",
    needs_connection: "This needs the connection. Nothing was sent: try again when you are back online.",
  };
  function word(name, values) {
    var text = (guidance && guidance.words[name]) || ENGLISH[name] || "";
    Object.keys(values || {}).forEach(function (key) { text = text.split("{" + key + "}").join(values[key]); });
    return text;
  }

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "text") node.textContent = attributes[name];
      else node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function timeText(iso) {
    try {
      return new Intl.DateTimeFormat(config.lang, { hour: "2-digit", minute: "2-digit", timeZone: config.zone }).format(new Date(iso));
    } catch (error) {
      return new Date(iso).toTimeString().slice(0, 5);
    }
  }

  function today() {
    // The day on the patient's clock, in their zone (as the server counts days).
    try {
      return new Intl.DateTimeFormat("en-CA", { timeZone: config.zone }).format(new Date());
    } catch (error) {
      return new Date().toISOString().slice(0, 10);
    }
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function describe(entry) {
    if (entry.kind === "episode") {
      var text = word("spasm", { severity: entry.body.severity, time: timeText(entry.body.started_at) });
      return entry.body.ended_at ? text + ", " + word("spasm_ended", { time: timeText(entry.body.ended_at) }) : text;
    }
    if (entry.kind === "end") return word("end", { time: timeText(entry.body.ended_at) });
    if (entry.kind === "severity") return word("worse", { severity: entry.body.severity });
    if (entry.kind === "checkin") return word("checkin", { date: entry.body.date });
    return word("answer");
  }

  // --- Drawing ----------------------------------------------------------------------
  function prompt(key) {
    var data = guidance.prompts[key];
    var label = data.urgency === "emergency" ? word("emergency") : word("urgent");
    var attributes = { class: "prompt prompt-" + data.urgency, "data-prompt": key };
    if (data.urgency === "emergency") attributes.role = "alert";
    return el("div", attributes, [
      el("p", { class: "prompt-label", text: label }),
      data.urgency === "emergency" ? el("p", {}, [
        el("a", { class: "button button-danger call-now", href: "tel:" + guidance.emergency_number, text: word("call") }),
        document.createTextNode(" "),
        el("span", { class: "small", text: word("call_note") }),
      ]) : null,
      el("p", { text: data.text }),
      el("p", { class: "small source", text: word("source") + " " + data.source_title }),
    ]);
  }

  function question(entry) {
    var signs = guidance.signs.map(function (sign) {
      return el("li", {}, [el("button", { type: "button", class: "screen-sign", "data-sign": sign.slug }, [
        el("span", { class: "screen-sign-title", text: sign.title }),
        document.createTextNode(" "),
        el("span", { class: "screen-sign-hint", text: sign.hint }),
      ])]);
    });
    var section = el("section", { class: "warning-screen warning-screen-required", "aria-labelledby": "offline-screen-heading" }, [
      el("h2", { id: "offline-screen-heading", class: "screen-question", text: word("question") }),
      el("div", { role: "group", "aria-labelledby": "offline-screen-heading" }, [
        el("ul", { class: "screen-signs" }, signs),
        el("button", { type: "button", class: "button screen-none", "data-sign": "none", text: word("none") }),
      ]),
      el("p", { class: "small", text: word("screen_note") }),
    ]);
    section.addEventListener("click", function (event) {
      var button = event.target.closest("[data-sign]");
      if (button) answer(entry, button.dataset.sign);
    });
    return section;
  }

  function steps() {
    return el("section", { class: "offline-steps", "aria-labelledby": "offline-steps-heading" }, [
      el("h2", { id: "offline-steps-heading", text: word("steps_heading") }),
      el("ol", { class: "steps" }, guidance.steps.map(function (step) {
        var body = el("div", { class: "step-body" });
        body.innerHTML = step.body; // the server's sanitised HTML from published content
        return el("li", { class: "step", "data-step": step.key }, [
          el("strong", { class: "step-title", text: step.title }), body,
          el("p", { class: "small source", text: word("source") + " " + step.source_title }),
        ]);
      })),
    ]);
  }

  // What the warning-sign answer calls for: emergency before urgent, or the all-clear.
  function answerFor(flags) {
    if (!flags.length) return [el("p", { text: word("no_signs") })];
    var keys = [];
    guidance.signs.forEach(function (sign) {
      if (flags.indexOf(sign.slug) !== -1 && keys.indexOf(sign.prompt) === -1) keys.push(sign.prompt);
    });
    return keys.sort().map(prompt);
  }

  function panelFor(entry) {
    var children = [
      el("h2", { text: word("saved_heading") }),
      el("p", { class: "ongoing-facts", text: describe(entry) }),
    ];
    if (guidance) {
      var flags = entry.body.red_flags || [];
      if (!entry.answered) children.push(question(entry));
      if (entry.answered) children = children.concat(answerFor(flags));
    }
    var over = el("button", { type: "button", class: "button", text: word("its_over") || "It's over" });
    over.addEventListener("click", function () { endQueued(entry); });
    children.push(el("div", { class: "actions" }, [over]));
    if (guidance) children.push(steps());
    children.push(el("p", { class: "small", text: word("needs_server") }));
    return el("section", { class: "card ongoing offline-episode", "data-queued": entry.key }, children);
  }

  function panel() {
    var existing = document.querySelector("[data-offline-panel]");
    if (existing) return existing;
    var anchor = document.querySelector(".quick-log, .ongoing");
    if (!anchor) return null;
    var node = el("div", { "data-offline-panel": "" });
    anchor.parentNode.insertBefore(node, anchor.nextSibling);
    return node;
  }

  function drawStatus(entries, stopped) {
    if (!statusRegion) return;
    var waiting = entries.filter(function (entry) { return entry.status === "waiting"; });
    var refused = entries.filter(function (entry) { return entry.status === "refused"; });
    var lines = [];
    if (waiting.length) {
      lines.push(el("p", { class: "message message-info", text: word(stopped === "signed-out" ? "signed_out" : "saved") }));
      lines.push(el("p", { "data-waiting": String(waiting.length), text: word("waiting", { count: waiting.length }) }));
    } else if (justSent.length) {
      var links = justSent.filter(function (sent) { return sent.entry.kind === "episode" && sent.data.id; }).map(function (sent) {
        return el("a", { class: "button button-secondary", href: "/episodes/" + sent.data.id + "/", text: word("what_to_do") });
      });
      lines.push(el("p", { class: "message message-success", text: word("sent") }));
      if (links.length) lines.push(el("p", {}, links.slice(-1)));
    }
    refused.forEach(function (entry) {
      var actions = [];
      if (entry.ongoing) actions.push(el("a", { class: "button button-secondary", href: "/episodes/" + entry.ongoing + "/", text: word("open_ongoing") }));
      var discard = el("button", { type: "button", class: "button button-secondary", text: word("delete") });
      discard.addEventListener("click", function () {
        Q.remove(entry.key).then(function () { return refresh(); });
      });
      actions.push(discard);
      lines.push(el("div", { class: "message message-error offline-refused", "data-refused": entry.key }, [
        el("p", { text: word("refused") }),
        el("p", { class: "offline-refused-entry", text: describe(entry) }),
        entry.error ? el("p", { text: entry.error }) : null,
        el("p", { class: "actions" }, actions),
      ]));
    });
    statusRegion.replaceChildren.apply(statusRegion, lines);
  }

  function drawPanel(entries) {
    var ongoing = entries.filter(function (entry) {
      return entry.kind === "episode" && entry.status === "waiting" && !entry.body.ended_at;
    }).pop();
    var target = ongoing ? panel() : document.querySelector("[data-offline-panel]");
    if (!target) return;
    // Redraw only when the entry changed: a redraw would move the patient's focus.
    var stamp = ongoing ? ongoing.key + JSON.stringify(ongoing.body) + ongoing.answered + !!guidance : "";
    if (target.dataset.stamp !== stamp) {
      target.replaceChildren(ongoing ? panelFor(ongoing) : document.createTextNode(""));
      target.dataset.stamp = stamp;
    }
    var started = ongoing || justSent.some(function (sent) { return sent.entry.kind === "episode" && !sent.entry.body.ended_at; });
    document.querySelectorAll(".quick-log, [data-offline-intro]").forEach(function (node) { node.hidden = !!started; });
  }

  var lastStopped = null;
  function refresh() {
    return Q.list(user).then(function (entries) {
      drawStatus(entries, lastStopped);
      drawPanel(entries);
      return entries;
    });
  }

  // --- Saving -----------------------------------------------------------------------
  function queued(fields) {
    return Q.add(Object.assign({ user: user, zone: config.zone }, fields))
      .then(function (entry) {
        askBackgroundSync();
        return refresh().then(function () { return entry; });
      });
  }

  function answer(entry, sign) {
    Q.get(entry.key).then(function (stored) {
      if (stored && stored.status === "waiting") {
        stored.answered = true;
        stored.body.red_flags = sign === "none" ? [] : [sign];
        return Q.put(stored);
      }
      // Sent meanwhile: send the answer for the stored episode.
      return Q.getMeta("sent:" + entry.key).then(function (id) {
        if (id) return queued({ kind: "red-flags", episode: id, body: { red_flags: sign === "none" ? [] : [sign] } });
      });
    }).then(refresh).then(function () {
      var first = document.querySelector("[data-offline-panel] .prompt, [data-offline-panel] .offline-steps h2");
      if (first) { first.setAttribute("tabindex", "-1"); first.focus(); }
    });
  }

  function endQueued(entry) {
    var now = new Date().toISOString();
    Q.get(entry.key).then(function (stored) {
      if (stored && stored.status === "waiting") {
        stored.body.ended_at = now;
        return Q.put(stored);
      }
      return Q.getMeta("sent:" + entry.key).then(function (id) {
        if (id) return queued({ kind: "end", episode: id, body: { ended_at: now } });
      });
    }).then(refresh).then(function () {
      if (statusRegion) statusRegion.insertBefore(el("p", { class: "message message-success", text: word("over") }), statusRegion.firstChild);
    });
  }

  function checkinBody(form) {
    var body = {};
    new FormData(form).forEach(function (value, name) {
      if (name.indexOf("daily-") !== 0 || value === "") return;
      name = name.slice("daily-".length);
      body[name] = value === "true" ? true : value === "false" ? false : name === "worst_pain" ? Number(value) : value;
    });
    if (!body.date) body.date = today();
    return body;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var path = new URL(form.action, location.href).pathname;
    if (/\/accounts\/logout\/$/.test(path)) return logOut(event, form);
    if (navigator.onLine) return; // online, the forms post as they always did
    var submitter = event.submitter;
    if (form.closest(".quick-log") && submitter && submitter.name === "severity") {
      event.preventDefault();
      queued({ kind: "episode", body: { severity: Number(submitter.value), started_at: new Date().toISOString() } });
    } else if (END_ACTION.test(path)) {
      event.preventDefault();
      queued({ kind: "end", episode: Number(END_ACTION.exec(path)[1]), body: { ended_at: new Date().toISOString() } })
        .then(function () { document.querySelectorAll(".ongoing:not(.offline-episode)").forEach(function (card) { card.hidden = true; }); });
    } else if (WORSE_ACTION.test(path) && submitter && submitter.name === "severity") {
      event.preventDefault();
      queued({ kind: "severity", episode: Number(WORSE_ACTION.exec(path)[1]), body: { severity: Number(submitter.value) } });
    } else if (SIGNS_ACTION.test(path) && submitter && submitter.name === "red_flag") {
      event.preventDefault();
      var flags = submitter.value === "none" ? [] : [submitter.value];
      queued({ kind: "red-flags", episode: Number(SIGNS_ACTION.exec(path)[1]), body: { red_flags: flags } })
        .then(function () { showAnswer(form, flags); });
    } else if (form.querySelector("input[name=form][value=daily]")) {
      event.preventDefault();
      queued({ kind: "checkin", body: checkinBody(form) }).then(function () {
        statusRegion.insertBefore(el("p", { class: "message message-success", text: word("checkin_saved") }), statusRegion.firstChild);
      });
    } else if (form.method === "post") {
      // Anything else needs the server: say so, and keep what the patient typed.
      event.preventDefault();
      statusRegion.replaceChildren(el("p", { class: "message message-error", text: word("needs_connection") }));
    }
  });

  // The warning-sign answer on an episode page loaded before the connection went.
  function showAnswer(form, flags) {
    var screen = form.closest(".warning-screen") || form;
    var answer = el("div", { class: "offline-answer", tabindex: "-1" }, guidance ? answerFor(flags) : []);
    screen.parentNode.insertBefore(answer, screen);
    screen.hidden = true;
    answer.focus();
  }

  // --- Log out: the queue and the caches go with the account ----------------------------
  function logOut(event, form) {
    if (form.dataset.cleared) return;
    event.preventDefault();
    Q.list(user).then(function (entries) {
      var unsent = entries.some(function (entry) { return entry.status === "waiting" || entry.status === "refused"; });
      if (unsent && !window.confirm(word("confirm_logout"))) return null;
      return clearEverything().then(function () {
        form.dataset.cleared = "true";
        form.submit();
      });
    });
  }

  function clearEverything() {
    var jobs = [Q.clearAll()];
    if (window.caches) {
      jobs.push(caches.keys().then(function (names) {
        return Promise.all(names.filter(function (name) { return name.indexOf("spasm-") === 0; }).map(function (name) { return caches.delete(name); }));
      }));
    }
    return Promise.all(jobs).catch(function () { return null; });
  }

  // --- Sending ----------------------------------------------------------------------
  function askBackgroundSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) return registration.sync.register("spasm-sync");
    }).catch(function () { return null; });
  }

  function syncNow() {
    if (!navigator.onLine) return Promise.resolve();
    clearTimeout(retryTimer);
    return Q.sync(user).then(function (result) {
      lastStopped = result.stopped;
      justSent = justSent.concat(result.sent);
      if (result.stopped === "offline" || result.stopped === "server") {
        // An answer lost on the way, or a busy server: again soon, with the same keys.
        retryDelay = Math.min(retryDelay ? retryDelay * 2 : 2000, 15000);
        retryTimer = setTimeout(syncNow, retryDelay);
      } else {
        retryDelay = 0;
      }
      return refresh();
    }).catch(function () { return null; });
  }

  function loadGuidance() {
    return fetch(config.guidance, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) guidance = data; })
      .catch(function () { return null; });
  }

  function registerWorker() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register(config.worker, { scope: "/" }).catch(function () { return null; });
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "synced") {
        justSent = justSent.concat(event.data.sent || []);
        refresh();
      }
    });
    if (!navigator.onLine) return;
    navigator.serviceWorker.ready.then(function (registration) {
      var channel = new MessageChannel();
      channel.port1.onmessage = function (event) {
        if (event.data && event.data.stored) document.documentElement.setAttribute("data-offline-ready", "true");
      };
      registration.active.postMessage({ type: "warm", user: user, urls: [config.shell, config.guidance] }, [channel.port2]);
    });
  }

  // A different account on this phone since last time: the old shell is not theirs.
  Q.getMeta("user").then(function (previous) {
    var reset = previous && previous !== user && window.caches
      ? caches.keys().then(function (names) {
        return Promise.all(names.map(function (name) { return name.indexOf("spasm-") === 0 ? caches.delete(name) : null; }));
      })
      : null;
    return Promise.resolve(reset).then(function () {
      return Promise.all([Q.setMeta("user", user), navigator.onLine ? Q.setMeta("csrf:" + user, csrfToken()) : null]);
    });
  }).then(function () {
    registerWorker();
    return loadGuidance();
  }).then(refresh).then(syncNow);
  window.addEventListener("online", syncNow);
})();
