// Search without a server: Pagefind's static index, in this page's language (<html lang>).
// The form works as a plain GET form; this script reads ?q= and lists what the index finds.
(function () {
  "use strict";
  var form = document.querySelector("form.search-page");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!form || !list || !status) return;
  var query = (new URLSearchParams(window.location.search).get("q") || "").trim();
  form.querySelector("input[name=q]").value = query;
  if (!query) return;

  function say(template, count) {
    status.textContent = template.replace("{q}", query).replace("{n}", String(count));
  }

  // An excerpt is text with <mark> around the matches: keep exactly that, as text and marks.
  function excerpt(html) {
    var paragraph = document.createElement("p");
    var parsed = new DOMParser().parseFromString(html, "text/html").body.childNodes;
    Array.prototype.forEach.call(parsed, function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        paragraph.appendChild(mark);
      } else {
        paragraph.appendChild(document.createTextNode(node.textContent));
      }
    });
    return paragraph;
  }

  // Korean: a word's particles go (아주대학교병원에서 → 아주대학교병원); Pagefind matches prefixes,
  // so the stem finds every form the pages use (아주대학교병원을, 아주대학교병원의 …).
  var particles = (form.getAttribute("data-particles") || "").split(" ").filter(Boolean);
  var particleRun = particles.length ? new RegExp("^(?:" + particles.join("|") + ")+$") : null;
  function stem(word) {
    if (!particleRun || !/[가-힣]/.test(word)) return word;
    for (var cut = 2; cut < word.length; cut++) {
      if (particleRun.test(word.slice(cut))) return word.slice(0, cut);
    }
    return word;
  }
  var terms = query.split(/\s+/).map(stem).join(" ");

  var bundle = new URL(form.getAttribute("data-bundle"), window.location.href);
  var root = new URL(form.getAttribute("data-root"), window.location.href);
  import(bundle.href + "pagefind.js").then(async function (pagefind) {
    await pagefind.options({ basePath: bundle.pathname, baseUrl: root.pathname });
    var search = await pagefind.search(terms);
    var found = await Promise.all(search.results.slice(0, 30).map(function (r) { return r.data(); }));
    list.textContent = "";
    found.forEach(function (page) {
      var item = document.createElement("li");
      var heading = document.createElement("h2");
      var link = document.createElement("a");
      link.href = page.url;
      link.textContent = (page.meta && page.meta.title) || page.url;
      heading.appendChild(link);
      item.appendChild(heading);
      item.appendChild(excerpt(page.excerpt || ""));
      list.appendChild(item);
    });
    say(status.getAttribute(found.length ? "data-found" : "data-not-found"), found.length);
  }).catch(function (error) {
    status.textContent = String(error);
  });
})();
