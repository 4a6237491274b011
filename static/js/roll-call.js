/* Roll call that survives a dead network. Each tap is saved on the phone first (IndexedDB,
   with an id made here and the moment of the tap), shown at once, and sent in a batch to the
   server, which keeps each id once; taps that could not be sent wait, counted in the header,
   until the connection returns or the trainer presses "Send now". A service worker keeps the
   session's roll-call pages and static files for reloading offline. Without JavaScript, or
   without IndexedDB, every tap is an ordinary form post. */
(function () {
  "use strict";
  var list = document.querySelector("[data-roll-list]");
  if (!list) {
    return;
  }
  var config = list.dataset;
  var CACHE = "roll-call-v1";

  function keepPagesForOffline() {
    if (!("serviceWorker" in navigator) || !window.caches || !config.workerUrl) {
      return;
    }
    navigator.serviceWorker
      .register(config.workerUrl, { scope: config.workerScope })
      .then(function () {
        if (!navigator.onLine) {
          return null;
        }
        // Every day of the session and this page's own files, while the network is there.
        var urls = [location.pathname];
        document.querySelectorAll(".day-switcher a[href]").forEach(function (link) {
          urls.push(new URL(link.href).pathname);
        });
        document.querySelectorAll("link[rel=stylesheet][href], script[src], img[src]").forEach(
          function (node) {
            urls.push(node.href || node.src);
          }
        );
        // Each once: a second add of the same page replaces the first, and the network dying
        // while it is on its way loses the kept copy.
        urls = urls.filter(function (url, i) {
          return urls.indexOf(url) === i;
        });
        return caches.open(CACHE).then(function (cache) {
          return Promise.all(
            urls.map(function (url) {
              return cache.add(url).catch(function () {
                return null;
              });
            })
          );
        });
      })
      .then(function (kept) {
        if (kept) {
          list.dataset.keptOffline = "true"; // all stored: the phone may now lose its network
        }
      })
      .catch(function () {
        return null;
      });
  }
  keepPagesForOffline();

  var pendingBox = document.querySelector("[data-roll-pending]");
  // A draft or cancelled session's roll is read-only; old browsers post the forms.
  if (!pendingBox || !window.indexedDB || !window.fetch || !window.Promise || !window.crypto) {
    return;
  }

  var pendingText = document.querySelector("[data-pending-text]");
  var notice = document.querySelector("[data-roll-notice]");
  var sending = null;

  function newId() {
    if (crypto.randomUUID) {
      return crypto.randomUUID();
    }
    // Pages served over plain HTTP (a laptop on the venue's network) have no randomUUID.
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map
      .call(bytes, function (b) {
        return (b < 16 ? "0" : "") + b.toString(16);
      })
      .join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)]
      .join("-");
  }

  /* --- the marks store on the phone ---------------------------------------------------- */
  var dbPromise = new Promise(function (resolve, reject) {
    var request = indexedDB.open("roll-call", 1);
    request.onupgradeneeded = function () {
      var store = request.result.createObjectStore("marks", { keyPath: "mark_id" });
      store.createIndex("session", "session");
    };
    request.onsuccess = function () {
      resolve(request.result);
    };
    request.onerror = function () {
      reject(request.error);
    };
  });

  function withStore(mode, work) {
    return dbPromise.then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction("marks", mode);
        var result = work(transaction.objectStore("marks"));
        transaction.oncomplete = function () {
          resolve(result && "result" in result ? result.result : result);
        };
        transaction.onerror = function () {
          reject(transaction.error);
        };
      });
    });
  }

  function pendingMarks() {
    return withStore("readonly", function (store) {
      return store.index("session").getAll(config.sessionId);
    });
  }

  function saveMark(mark) {
    return withStore("readwrite", function (store) {
      store.put(mark);
    });
  }

  function forget(ids) {
    return withStore("readwrite", function (store) {
      ids.forEach(function (id) {
        store.delete(id);
      });
    });
  }

  /* --- what the page shows ----------------------------------------------------------- */
  function rowOf(enrolmentId) {
    return document.getElementById("e" + enrolmentId);
  }

  function show(row, status) {
    row.querySelectorAll("button[name=status]").forEach(function (button) {
      button.setAttribute("aria-pressed", button.value === status ? "true" : "false");
    });
    row.className = row.className.replace(/\bis-(present|late|excused|absent)\b/g, "").trim();
    if (status) {
      row.classList.add("is-" + status);
    }
  }

  function statusOf(row) {
    var pressed = row.querySelector("button[aria-pressed=true]");
    return pressed ? pressed.value : "";
  }

  function recount() {
    var counts = { present: 0, late: 0, excused: 0, absent: 0, unmarked: 0 };
    list.querySelectorAll(".roll-row").forEach(function (row) {
      counts[statusOf(row) || "unmarked"] += 1;
    });
    Object.keys(counts).forEach(function (key) {
      var cell = document.querySelector("[data-count='" + key + "']");
      if (cell) {
        cell.textContent = counts[key];
      }
    });
  }

  function say(message) {
    notice.textContent = message || "";
    notice.hidden = !message;
  }

  /* Show the taps still on the phone: their rows on this day, and how many wait in all. */
  function showPending(marks) {
    var waiting = {};
    marks
      .filter(function (mark) {
        return mark.day === config.day;
      })
      .sort(function (a, b) {
        return a.marked_at < b.marked_at ? -1 : 1;
      })
      .forEach(function (mark) {
        var row = rowOf(mark.enrolment_id);
        if (row) {
          show(row, mark.status);
          waiting[mark.enrolment_id] = true;
        }
      });
    list.querySelectorAll(".roll-row").forEach(function (row) {
      row.classList.toggle("is-pending", Boolean(waiting[row.id.slice(1)]));
    });
    recount();
    var n = marks.length;
    pendingBox.hidden = n === 0;
    pendingText.textContent = i18n.count("marks_pending", n);
    return marks;
  }

  function refresh() {
    return pendingMarks().then(showPending);
  }

  var inflight = []; // taps being written to IndexedDB

  function send() {
    if (sending) {
      return sending;
    }
    sending = pendingMarks()
      .then(function (marks) {
        if (!marks.length) {
          return null;
        }
        var body = marks.map(function (mark) {
          return {
            mark_id: mark.mark_id,
            enrolment_id: mark.enrolment_id,
            day: mark.day,
            status: mark.status,
            marked_at: mark.marked_at
          };
        });
        return fetch(config.marksUrl, {
          method: "POST",
          credentials: "same-origin",
          headers: {
            "Content-Type": "application/json",
            Accept: "application/json",
            "X-CSRFToken": config.csrfToken
          },
          body: JSON.stringify(body)
        }).then(
          function (response) {
            if (!response.ok) {
              say(i18n.text("marks_failed"));
              return null;
            }
            return response.json().then(done);
          },
          function () {
            return null; // still offline: the marks wait on the phone
          }
        );
      })
      .then(refresh, refresh)
      .then(function () {
        sending = null;
      });
    return sending;
  }

  /* Send on its own only while the phone says it is online: offline, the service worker could
     still reach the network for the page (it does under test tools), so a tap made offline
     would leave at once. The "online" event and "Send now" send whatever the phone says. */
  function sendIfOnline() {
    return navigator.onLine === false ? null : send();
  }

  function done(answer) {
    var refused = answer.refused || {};
    var messages = Object.keys(refused).map(function (id) {
      return refused[id];
    });
    if (answer.superseded && answer.superseded.length) {
      messages.push(i18n.count("marks_superseded", answer.superseded.length));
    }
    say(messages.filter(function (m, i) { return messages.indexOf(m) === i; }).join(" "));
    return forget((answer.saved || []).concat(Object.keys(refused))).then(function () {
      // The kept copy of this page should show what the server now holds.
      if (window.caches) {
        caches.open(CACHE).then(function (cache) {
          return cache.add(location.pathname);
        }).catch(function () {
          return null;
        });
      }
    });
  }

  function tap(row, status, at) {
    var mark = {
      mark_id: newId(),
      session: config.sessionId,
      enrolment_id: Number(row.id.slice(1)),
      day: config.day,
      status: status,
      marked_at: at
    };
    show(row, status);
    row.classList.add("is-pending");
    var saved = saveMark(mark);
    inflight.push(saved);
    var settle = function () {
      inflight.splice(inflight.indexOf(saved), 1);
    };
    saved.then(settle, settle);
    return saved;
  }

  list.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    if (!form.hasAttribute("data-roll") || !button || !button.value) {
      return;
    }
    event.preventDefault();
    tap(form.closest(".roll-row"), button.value, new Date().toISOString())
      .then(refresh)
      .then(sendIfOnline);
  });

  /* "Mark everyone" first sends the taps still on the phone, so that it never overrules a
     tap made a moment before; offline (or if they cannot be sent) it becomes one saved tap per
     person it would change. */
  document.querySelectorAll("form.mark-all, form.mark-all-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var offline = navigator.onLine === false;
      Promise.all(inflight)
        .then(offline ? null : send)
        .then(offline ? null : send) // taps saved while the first batch was on its way
        .then(pendingMarks)
        .then(function (marks) {
          if (!offline && !marks.length) {
            form.submit(); // the fields carry status and overwrite; no handler runs again
          } else {
            markEveryoneHere(form);
          }
        });
    });
  });

  function markEveryoneHere(form) {
    var status = form.elements.status.value;
    var overwrite = form.elements.overwrite ? form.elements.overwrite.checked : false;
    var at = new Date().toISOString();
    var taps = [];
    list.querySelectorAll(".roll-row").forEach(function (row) {
      var current = statusOf(row);
      if (!current || (overwrite && current !== status)) {
        taps.push(tap(row, status, at));
      }
    });
    Promise.all(taps).then(refresh);
  }

  document.querySelector("[data-send-now]").addEventListener("click", send);
  window.addEventListener("online", send);
  refresh().then(sendIfOnline);
})();
