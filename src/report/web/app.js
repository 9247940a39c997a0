// The report page: lays out what the server (or the page itself) gives, and listens for
// changes. Every figure arrives formatted (text) with its value (number): this script
// computes nothing, it draws, filters and pages. Text from the workspace is only ever set
// as text (never as HTML).
(function () {
  "use strict";

  var LABELS = {
    id: {
      nilai_kinerja: "Nilai kinerja",
      tercapai: "Indikator tercapai",
      belum: "Indikator belum tercapai",
      sasaran: "Sasaran",
      indikator: "Indikator",
      id: "ID",
      nama: "Nama",
      satuan: "Satuan",
      bobot: "Bobot",
      target: "Target",
      realisasi: "Realisasi",
      capaian: "Capaian (%)",
      jangka: "Jangka menengah",
      anggaran: "Realisasi anggaran",
      per_kegiatan: "per kegiatan",
      per_jenis: "per jenis belanja",
      kode: "Kode",
      kegiatan: "Kegiatan",
      jenis_belanja: "Jenis belanja",
      pagu: "Pagu (Rp)",
      realisasi_rp: "Realisasi (Rp)",
      persen: "%",
      sisa: "Sisa (Rp)",
      proporsi: "Proporsi (%)",
      riwayat: "Riwayat realisasi anggaran",
      tahun: "Tahun",
      temuan: "Temuan audit dan peringatan",
      tidak_ada_temuan: "Tidak ada temuan: setiap angka yang dicetak sesuai dengan hasil hitungan.",
      diketahui: "diketahui",
      masalah: "Ruang kerja bermasalah: hasil terakhir yang baik tetap ditampilkan",
      galat_muat: "Ruang kerja tidak dapat dibaca",
      perubahan: "Berubah pada penyimpanan terakhir",
      cari: "Cari id, nama atau sasaran",
      cari_indikator: "Cari id atau nama",
      semua_sasaran: "Semua sasaran",
      semua: "Semua",
      hanya_tercapai: "Tercapai",
      hanya_belum: "Belum tercapai",
      tanpa_capaian: "Tanpa capaian",
      sebelum: "‹ Sebelumnya",
      berikut: "Berikutnya ›",
      halaman: "baris {a}–{b} dari {n}",
      tidak_ada: "Tidak ada baris yang cocok",
      whatif: "Coba perubahan (what-if)",
      whatif_bantuan: "Satu perubahan per baris, seperti --set: IKP4.2.target=75, IKP4.1.masukan.n=340, 57.pagu=9000000000. Tidak ada berkas yang diubah.",
      whatif_jalankan: "Hitung",
      whatif_kembali: "Kembali ke laporan",
      whatif_aktif: "Pratinjau what-if: tidak disimpan ke berkas mana pun.",
      whatif_perintah: "Perintah yang sama",
      whatif_yaml: "Yang ditulis di berkas",
      whatif_statis: "What-if dan penjelasan angka memerlukan kinerja serve.",
      unduh: "Unduh",
      jelaskan: "Asal angka",
      jelaskan_petunjuk: "Klik angka untuk melihat asalnya.",
      terhubung: "langsung",
      terputus: "terputus dari server; menyambung ulang…",
      statis: "halaman statis",
      putaran: "putaran {n}",
      ms: "{ms} ms",
      tes: "uji rumus: {p} lulus, {f} gagal",
      memuat: "memuat…",
      menghitung: "menghitung…",
      lainnya: "…dan {n} lagi: kinerja check menampilkan semuanya.",
      coba_ubah: "Coba nilai lain",
      whatif_usang: "Berkas berubah sejak what-if terakhir, jadi what-if itu ditutup; tekan Hitung untuk menghitungnya lagi.",
      belum_ada_laporan: "Belum ada laporan: ruang kerja belum pernah terhitung tanpa galat. Perbaiki masalah di atas; laporan muncul pada penyimpanan berikutnya.",
      masalah_awal: "Ruang kerja bermasalah: belum ada laporan",
      perubahan_whatif: "Berbeda dari laporan",
    },
    en: {
      nilai_kinerja: "Performance score (nilai kinerja)",
      tercapai: "Indikator on target",
      belum: "Indikator off target",
      sasaran: "Sasaran",
      indikator: "Indikator",
      id: "ID",
      nama: "Name",
      satuan: "Unit",
      bobot: "Bobot (weight)",
      target: "Target",
      realisasi: "Realisasi",
      capaian: "Capaian (%)",
      jangka: "Medium term",
      anggaran: "Budget realisation",
      per_kegiatan: "per kegiatan",
      per_jenis: "per jenis belanja",
      kode: "Code",
      kegiatan: "Kegiatan",
      jenis_belanja: "Jenis belanja",
      pagu: "Pagu (Rp)",
      realisasi_rp: "Realisasi (Rp)",
      persen: "%",
      sisa: "Remaining (Rp)",
      proporsi: "Share (%)",
      riwayat: "Budget realisation history",
      tahun: "Year",
      temuan: "Audit findings and warnings",
      tidak_ada_temuan: "No findings: every printed figure agrees with the computed one.",
      diketahui: "known",
      masalah: "The workspace has errors: the last good results are shown",
      galat_muat: "The workspace cannot be read",
      perubahan: "Changed by the last save",
      cari: "Search id, name or sasaran",
      cari_indikator: "Search id or name",
      semua_sasaran: "All sasaran",
      semua: "All",
      hanya_tercapai: "On target",
      hanya_belum: "Off target",
      tanpa_capaian: "No capaian",
      sebelum: "‹ Previous",
      berikut: "Next ›",
      halaman: "rows {a}–{b} of {n}",
      tidak_ada: "No matching rows",
      whatif: "Try a change (what-if)",
      whatif_bantuan: "One change per line, as with --set: IKP4.2.target=75, IKP4.1.masukan.n=340, 57.pagu=9000000000. No file is changed.",
      whatif_jalankan: "Compute",
      whatif_kembali: "Back to the report",
      whatif_aktif: "What-if preview: not saved to any file.",
      whatif_perintah: "The same as a command",
      whatif_yaml: "What to write in the files",
      whatif_statis: "What-if and figure explanations need kinerja serve.",
      unduh: "Download",
      jelaskan: "Where this figure comes from",
      jelaskan_petunjuk: "Click a figure to see where it comes from.",
      terhubung: "live",
      terputus: "disconnected from the server; reconnecting…",
      statis: "static page",
      putaran: "run {n}",
      ms: "{ms} ms",
      tes: "rule tests: {p} passed, {f} failed",
      memuat: "loading…",
      menghitung: "computing…",
      lainnya: "…and {n} more: kinerja check lists them all.",
      coba_ubah: "Try another value",
      whatif_usang: "The files changed since the last what-if, so it was closed; press Compute to run it again.",
      belum_ada_laporan: "No report yet: the workspace has not been evaluated without errors. Fix the problems above; the report appears with the next save.",
      masalah_awal: "The workspace has errors: no report yet",
      perubahan_whatif: "Different from the report",
    },
  };
  var lang = document.documentElement.lang === "en" ? "en" : "id";
  var L = LABELS[lang];
  var STATIC = document.documentElement.dataset.mode === "static";
  var PAGE = 50;

  function fmt(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_, k) { return String(values[k]); });
  }

  // el("td", {class: "n"}, "text", child…): text children become text nodes.
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === "on") {
          Object.keys(v).forEach(function (ev) { node.addEventListener(ev, v[ev]); });
        } else if (k === "data") {
          Object.keys(v).forEach(function (d) { node.dataset[d] = v[d]; });
        } else {
          node.setAttribute(k, v === true ? "" : v);
        }
      });
    }
    for (var i = 2; i < arguments.length; i++) add(node, arguments[i]);
    return node;
  }
  function add(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { add(node, c); }); return; }
    node.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
  function fill(id) {
    var node = document.getElementById(id);
    node.textContent = "";
    for (var i = 1; i < arguments.length; i++) add(node, arguments[i]);
    return node;
  }

  // Whether the report's workspace lacks a part (indikator, sasaran, anggaran): its
  // sections are left out, and the report says so once, in its summary.
  function lacks(r, part) {
    return (r.tidak_memuat || []).indexOf(part) >= 0;
  }
  function hasSasaran(r) {
    return !lacks(r, "sasaran") && !lacks(r, "indikator");
  }
  // A section the workspace has nothing for: empty, and hidden.
  function leaveOut(id) {
    var node = fill(id);
    node.hidden = true;
  }

  // What the page shows now.
  var state = {
    live: null,      // the server's (or the page's) report state
    whatif: null,    // a what-if result shown instead of the live report
    sesi: null,
    connected: STATIC,
    filter: { q: "", sasaran: "", status: "" },
    page: 0,
    sasaranPage: 0,
    budgetPage: {},
  };

  function shown() { return state.whatif || state.live; }

  // Figure changes by key "id|ukuran".
  function changeIndex(s) {
    var index = {};
    (s && s.perubahan || []).forEach(function (c) { index[c.id + "|" + c.ukuran] = c; });
    return index;
  }

  // A figure: its text, or "old → new" when it moved; the key says which figure it is.
  function figure(cell, key, changes) {
    var c = changes[key];
    if (c) {
      return el("span", { class: "chg " + (c.arah || "") },
        el("del", null, c.lama === null ? "—" : c.lama), " → ",
        el("ins", { class: "nilai" }, c.baru === null ? "—" : c.baru));
    }
    return el("span", { class: "nilai" }, cell ? cell.t : "—");
  }

  // A figure's band (kategori), as a small badge beside it: its label, in its colour.
  function badge(cell) {
    var k = cell && cell.k;
    if (!k) return null;
    return el("span", {
      class: "kategori",
      title: k.keterangan || null,
      style: k.rgb ? "background:" + k.rgb : null,
    }, k.label);
  }

  // `kunci`: what a what-if names a budget row by (its code or name).
  function figCell(cell, fid, ukuran, changes, kunci) {
    var key = fid + "|" + ukuran;
    var data = { k: key, explain: fid };
    if (kunci) data.kunci = kunci;
    return el("td", {
      class: "n fig",
      data: data,
      title: STATIC ? null : L.jelaskan_petunjuk,
    }, figure(cell, key, changes), badge(cell));
  }

  function bar(value, ok) {
    var v = value === null || value === undefined ? null : Number(value);
    if (v === null || isNaN(v)) return null;
    var width = Math.max(0, Math.min(v, 120)) / 120 * 100;
    return el("div", { class: "bar " + (ok === true ? "ok" : ok === false ? "off" : ""), "aria-hidden": "true" },
      el("span", { style: "width:" + width.toFixed(2) + "%" }));
  }

  function mark(ok) {
    if (ok === null || ok === undefined) return el("span", { class: "tanda" }, "");
    return el("span", { class: "tanda " + (ok ? "ok" : "off"), title: ok ? L.hanya_tercapai : L.hanya_belum }, ok ? "✓" : "✗");
  }

  function renderStatus() {
    var s = state.live;
    var parts = [];
    if (STATIC) {
      parts.push(L.statis);
    } else {
      parts.push(el("span", { class: state.connected ? "" : "putus" }, state.connected ? L.terhubung : L.terputus));
    }
    if (s && s.versi) {
      parts.push(" · ", fmt(L.putaran, { n: s.versi }));
      if (s.elapsed_ms !== null && s.elapsed_ms !== undefined) parts.push(" · ", fmt(L.ms, { ms: String(s.elapsed_ms).replace(".", lang === "id" ? "," : ".") }));
      if (s.trigger && s.trigger.length) parts.push(el("div", null, s.trigger.join(", ")));
      if (s.tes) parts.push(el("div", { class: s.tes.failed ? "peringatan" : "" }, fmt(L.tes, { p: s.tes.passed, f: s.tes.failed })));
    }
    fill("status", parts);
  }

  function renderProblems() {
    var s = state.live;
    var node = document.getElementById("masalah");
    if (!s || (!s.galat && !(s.masalah && s.masalah.length))) {
      node.hidden = true;
      node.textContent = "";
      return;
    }
    node.hidden = false;
    fill("masalah",
      el("h2", null, s.galat ? L.galat_muat : s.laporan ? L.masalah : L.masalah_awal),
      s.galat ? el("pre", null, s.galat) : null,
      (s.masalah || []).map(function (d) {
        return el("div", { class: "diag", data: { code: d.code } },
          el("div", null, el("span", { class: "tempat" }, d.tempat || ""), d.tempat ? " " : "", d.code + ": " + d.message),
          el("pre", null, d.teks));
      }),
      s.masalah_total > (s.masalah || []).length ? el("p", { class: "kecil" }, fmt(L.lainnya, { n: s.masalah_total - s.masalah.length })) : null);
  }

  function renderSummary(r, changes) {
    if (!r) {
      var s = state.live;
      fill("ringkasan", s && s.versi ? L.belum_ada_laporan : L.memuat);
      return;
    }
    fill("judul", r.judul);
    document.title = r.judul + " — " + r.organisasi;
    fill("organisasi", r.organisasi + (r.instansi ? " · " + r.instansi : ""));
    // Without indikator there is no nilai kinerja: the budget's realisation heads the page.
    var total = r.anggaran.total;
    var cards = lacks(r, "indikator")
      ? el("div", { class: "kartu" }, total ? el("div", null,
          el("div", { class: "angka", id: "realisasi-anggaran", data: { k: "total|persen", explain: "total" } },
            figure(total.persen, "total|persen", changes)),
          el("div", { class: "label" }, L.anggaran + " (%)")) : null)
      : el("div", { class: "kartu" },
        el("div", null,
          el("div", { class: "angka", id: "nilai-kinerja", data: { k: "nilai_kinerja|capaian", explain: "nilai_kinerja" } },
            figure(r.nilai_kinerja, "nilai_kinerja|capaian", changes), badge(r.nilai_kinerja)),
          el("div", { class: "label" }, L.nilai_kinerja)),
        el("div", { class: "tercapai" },
          el("div", { class: "angka", id: "jumlah-tercapai" }, r.indikator_tercapai),
          el("div", { class: "label" }, L.tercapai)),
        el("div", { class: "belum" },
          el("div", { class: "angka", id: "jumlah-belum" }, r.indikator_belum_tercapai),
          el("div", { class: "label" }, L.belum)));
    fill("ringkasan", cards,
      r.catatan ? el("p", { class: "kecil", id: "catatan-isi" }, r.catatan) : null,
      STATIC || state.whatif ? null : el("p", { class: "kecil" }, L.unduh + ": ",
        el("a", { href: "/download/laporan.csv", id: "unduh-csv", download: "laporan.csv" }, "CSV"), " · ",
        el("a", { href: "/download/laporan.xlsx", id: "unduh-xlsx", download: "laporan.xlsx" }, "Excel (.xlsx)")));
  }

  function renderChanges(s) {
    var node = document.getElementById("perubahan");
    var list = s && s.perubahan || [];
    if (!list.length) { node.hidden = true; node.textContent = ""; return; }
    node.hidden = false;
    var more = list.length > 200 ? list.length - 200 : 0;
    fill("perubahan", el("h2", null, (state.whatif ? L.perubahan_whatif : L.perubahan) + " (" + list.length + ")"),
      el("ul", null, list.slice(0, 200).map(function (c) {
        // The organisation's figures by their labels: its nilai kinerja and, where its
        // indikator roll up to it directly, their counts.
        var org = { capaian: L.nilai_kinerja, indikator_tercapai: L.tercapai, indikator_belum_tercapai: L.belum };
        var name = c.id === "nilai_kinerja" ? org[c.ukuran] || c.ukuran : c.id + " " + c.ukuran;
        return el("li", null, name + ": ",
          el("span", { class: "chg " + (c.arah || "") }, el("del", null, c.lama || "—"), " → ", el("ins", null, c.baru || "—")));
      })),
      more ? el("div", { class: "kecil" }, "+" + more) : null);
  }

  function pager(total, page, onPage, idPrefix) {
    var pages = Math.max(1, Math.ceil(total / PAGE));
    var a = total ? page * PAGE + 1 : 0;
    var b = Math.min(total, (page + 1) * PAGE);
    return el("div", { class: "halaman" },
      el("button", { type: "button", class: "kedua", id: idPrefix + "-sebelum", disabled: page <= 0, on: { click: function () { onPage(page - 1); } } }, L.sebelum),
      el("span", { id: idPrefix + "-info" }, total ? fmt(L.halaman, { a: a, b: b, n: total }) : L.tidak_ada),
      el("button", { type: "button", class: "kedua", id: idPrefix + "-berikut", disabled: page >= pages - 1, on: { click: function () { onPage(page + 1); } } }, L.berikut));
  }

  function renderSasaran(r, changes) {
    if (!r) return;
    if (!hasSasaran(r)) { leaveOut("bagian-sasaran"); return; }
    document.getElementById("bagian-sasaran").hidden = false;
    var rows = r.sasaran;
    var pages = Math.max(1, Math.ceil(rows.length / PAGE));
    if (state.sasaranPage >= pages) state.sasaranPage = pages - 1;
    var start = state.sasaranPage * PAGE;
    // A Bobot column only where a sasaran is weighed.
    var weighed = rows.some(function (s) { return s.bobot; });
    fill("bagian-sasaran", el("h2", null, L.sasaran),
      el("table", { id: "tabel-sasaran" },
        el("thead", null, el("tr", null, el("th", null, L.id), el("th", null, L.nama),
          weighed ? el("th", { class: "n" }, L.bobot) : null, el("th", { class: "n" }, L.indikator),
          el("th", { class: "n" }, L.tercapai), el("th", { class: "n" }, L.belum), el("th", { class: "n" }, L.capaian))),
        el("tbody", null, rows.slice(start, start + PAGE).map(function (s) {
          var v = s.capaian.v;
          return el("tr", { data: { id: s.id } },
            el("td", null, s.id), el("td", null, s.nama),
            weighed ? figCell(s.bobot || { t: "", v: null }, s.id, "bobot", changes) : null,
            el("td", { class: "n" }, s.indikator),
            el("td", { class: "n" }, s.tercapai), el("td", { class: "n" }, s.belum_tercapai),
            (function () {
              var td = figCell(s.capaian, s.id, "capaian", changes);
              add(td, bar(v, v === null ? null : Number(v) >= 100));
              return td;
            })());
        }))),
      rows.length > PAGE ? pager(rows.length, state.sasaranPage, function (p) { state.sasaranPage = p; renderSasaran(shown().laporan, changeIndex(shown())); }, "sasaran") : null);
  }

  function matches(ind, f) {
    if (f.sasaran && ind.sasaran !== f.sasaran) return false;
    if (f.status === "tercapai" && ind.tercapai !== true) return false;
    if (f.status === "belum" && ind.tercapai !== false) return false;
    if (f.status === "kosong" && ind.tercapai !== null) return false;
    if (f.q) {
      var q = f.q.toLowerCase();
      if (ind.id.toLowerCase().indexOf(q) < 0 && ind.nama.toLowerCase().indexOf(q) < 0 &&
          (ind.sasaran || "").toLowerCase().indexOf(q) < 0) return false;
    }
    return true;
  }

  function indikatorRows(ind, changes, komponen, sasaran, weighed) {
    var jm = ind.jangka_menengah;
    var cap = figCell(ind.capaian, ind.id, "capaian", changes);
    add(cap, bar(ind.capaian.v, ind.tercapai));
    var rows = [el("tr", { class: komponen ? "komponen" : "", data: { id: ind.id } },
      el("td", null, mark(ind.tercapai), " ", ind.id),
      el("td", null, ind.nama),
      sasaran ? el("td", null, ind.sasaran || "") : null,
      el("td", null, ind.satuan),
      weighed ? figCell(ind.bobot || { t: "", v: null }, ind.id, "bobot", changes) : null,
      figCell(ind.target, ind.id, "target", changes),
      figCell(ind.realisasi, ind.id, "realisasi", changes),
      cap,
      jm ? figCell(jm.target, ind.id, "target_" + jm.tahun, changes) : el("td", null),
      jm ? figCell(jm.capaian, ind.id, "capaian_" + jm.tahun, changes) : el("td", null))];
    (ind.komponen || []).forEach(function (k) { rows = rows.concat(indikatorRows(k, changes, true, sasaran, weighed)); });
    return rows;
  }

  function renderIndikator(r, changes) {
    if (!r) return;
    var section = document.getElementById("bagian-indikator");
    if (lacks(r, "indikator")) { leaveOut("bagian-indikator"); return; }
    section.hidden = false;
    // Without sasaran: no sasaran column, and no filter by sasaran.
    var sasaran = hasSasaran(r);
    var f = state.filter;
    // A sasaran renamed or removed by a save: its filter goes with it.
    if (f.sasaran && !r.sasaran.some(function (x) { return x.id === f.sasaran; })) f.sasaran = "";
    var rows = r.indikator.filter(function (i) { return matches(i, f); });
    var pages = Math.max(1, Math.ceil(rows.length / PAGE));
    if (state.page >= pages) state.page = pages - 1;
    var start = state.page * PAGE;
    var jmYear = null;
    r.indikator.some(function (i) { if (i.jangka_menengah) { jmYear = i.jangka_menengah.tahun; return true; } return false; });
    // A Bobot column only where an indikator is weighed.
    var weighed = r.indikator.some(function (i) { return i.bobot; });
    var tools = section.querySelector(".alat");
    if (!tools) {
      // Built once, so that typing in the filter keeps its focus.
      tools = el("div", { class: "alat" },
        el("input", { type: "search", id: "saring", placeholder: L.cari, "aria-label": L.cari, on: { input: function (e) { f.q = e.target.value.trim(); state.page = 0; renderIndikator(shown().laporan, changeIndex(shown())); } } }),
        el("select", { id: "saring-sasaran", "aria-label": L.sasaran, on: { change: function (e) { f.sasaran = e.target.value; state.page = 0; renderIndikator(shown().laporan, changeIndex(shown())); } } }),
        el("select", { id: "saring-status", "aria-label": L.capaian, on: { change: function (e) { f.status = e.target.value; state.page = 0; renderIndikator(shown().laporan, changeIndex(shown())); } } },
          el("option", { value: "" }, L.semua), el("option", { value: "tercapai" }, L.hanya_tercapai),
          el("option", { value: "belum" }, L.hanya_belum), el("option", { value: "kosong" }, L.tanpa_capaian)));
      section.textContent = "";
      add(section, [el("h2", null, L.indikator), tools, el("div", { id: "isi-indikator" })]);
    }
    var select = document.getElementById("saring-sasaran");
    var options = [""].concat(r.sasaran.map(function (s) { return s.id; }));
    if (select.options.length !== options.length || Array.prototype.some.call(select.options, function (o, i) { return o.value !== options[i]; })) {
      select.textContent = "";
      options.forEach(function (id) { add(select, el("option", { value: id }, id || L.semua_sasaran)); });
      select.value = f.sasaran;
    }
    select.hidden = !sasaran;
    var search = document.getElementById("saring");
    search.placeholder = sasaran ? L.cari : L.cari_indikator;
    search.setAttribute("aria-label", search.placeholder);
    fill("isi-indikator",
      el("table", { id: "tabel-indikator" },
        el("thead", null, el("tr", null,
          el("th", null, L.id), el("th", null, L.nama), sasaran ? el("th", null, L.sasaran) : null, el("th", null, L.satuan),
          weighed ? el("th", { class: "n" }, L.bobot) : null,
          el("th", { class: "n" }, L.target), el("th", { class: "n" }, L.realisasi), el("th", { class: "n" }, L.capaian),
          el("th", { class: "n" }, jmYear ? L.target + " " + jmYear : L.jangka),
          el("th", { class: "n" }, jmYear ? L.capaian + " " + jmYear : ""))),
        el("tbody", null, rows.slice(start, start + PAGE).map(function (i) { return indikatorRows(i, changes, false, sasaran, weighed); }))),
      pager(rows.length, state.page, function (p) { state.page = p; renderIndikator(shown().laporan, changeIndex(shown())); }, "halaman"));
  }

  function budgetTable(id, title, rows, total, kodeLabel, changes, pageKey) {
    // The share column only where a row shares its whole with another (as the report's
    // tables): a table of rows that are each all of their parent says nothing with it.
    var shares = rows.some(function (b) { return b.proporsi.v !== null && Number(b.proporsi.v) !== 100; });
    function line(b, isTotal) {
      var td = figCell(b.persen, b.fid, "persen", changes, b.kunci);
      add(td, bar(b.persen.v, null));
      return el("tr", { class: isTotal ? "total" : "", data: { id: b.fid } },
        el("td", null, b.kode), el("td", b.kedalaman ? { style: "padding-left:" + (0.4 + 1.2 * b.kedalaman) + "em" } : null, b.nama),
        figCell(b.pagu, b.fid, "pagu", changes, b.kunci),
        figCell(b.realisasi, b.fid, "realisasi", changes, b.kunci),
        td,
        figCell(b.sisa, b.fid, "sisa", changes, b.kunci),
        shares ? figCell(b.proporsi, b.fid, "proporsi", changes, b.kunci) : null);
    }
    var pages = Math.max(1, Math.ceil(rows.length / PAGE));
    var page = Math.min(state.budgetPage[pageKey] || 0, pages - 1);
    state.budgetPage[pageKey] = page;
    var start = page * PAGE;
    return [el("h2", null, title),
      el("table", { id: id },
        el("thead", null, el("tr", null, el("th", null, L.kode), el("th", null, kodeLabel), el("th", { class: "n" }, L.pagu),
          el("th", { class: "n" }, L.realisasi_rp), el("th", { class: "n" }, L.persen), el("th", { class: "n" }, L.sisa),
          shares ? el("th", { class: "n" }, L.proporsi) : null)),
        el("tbody", null, rows.slice(start, start + PAGE).map(function (b) { return line(b, false); }), total ? line(total, true) : null)),
      rows.length > PAGE ? pager(rows.length, page, function (p) {
        state.budgetPage[pageKey] = p;
        renderBudget(shown().laporan, changeIndex(shown()));
      }, pageKey) : null];
  }

  var chart = null;
  function renderBudget(r, changes) {
    if (!r) return;
    var a = r.anggaran;
    if (!a.kegiatan.length && !a.jenis_belanja.length) { leaveOut("bagian-anggaran"); return; }
    document.getElementById("bagian-anggaran").hidden = false;
    var parts = [];
    if (a.program) parts.push(el("p", { class: "kecil" }, a.program));
    if (a.kegiatan.length) parts.push(budgetTable("tabel-kegiatan", L.anggaran + " " + L.per_kegiatan, a.kegiatan, a.total, L.kegiatan, changes, "kegiatan"));
    if (a.jenis_belanja.length) parts.push(budgetTable("tabel-jenis-belanja", L.anggaran + " " + L.per_jenis, a.jenis_belanja, a.total, L.jenis_belanja, changes, "jenis-belanja"));
    fill("bagian-anggaran", parts);
  }

  // The history: its own section, drawn again only when its figures or their marks
  // changed (laying out a chart costs more than the rest of an update).
  var historyDrawn = null;
  function renderHistory(r, changes) {
    var riwayat = r ? r.anggaran.riwayat : [];
    var marks = riwayat.map(function (h) {
      return ["pagu", "realisasi", "persen"].map(function (u) { return changes[h.fid + "|" + u] || null; });
    });
    var signature = JSON.stringify([riwayat, marks]);
    if (signature === historyDrawn) return;
    historyDrawn = signature;
    if (!riwayat.length) {
      if (chart) { chart.destroy(); chart = null; }
      fill("bagian-riwayat");
      return;
    }
    fill("bagian-riwayat", el("h2", null, L.riwayat), el("div", { id: "grafik" }),
      el("table", { id: "tabel-riwayat" },
        el("thead", null, el("tr", null, el("th", null, L.tahun), el("th", { class: "n" }, L.pagu), el("th", { class: "n" }, L.realisasi_rp), el("th", { class: "n" }, L.persen))),
        el("tbody", null, riwayat.map(function (h) {
          return el("tr", { data: { id: h.fid } }, el("td", null, h.tahun),
            figCell(h.pagu, h.fid, "pagu", changes), figCell(h.realisasi, h.fid, "realisasi", changes), figCell(h.persen, h.fid, "persen", changes));
        }))));
    drawChart(riwayat);
  }

  function drawChart(riwayat) {
    var node = document.getElementById("grafik");
    if (chart) { chart.destroy(); chart = null; }
    if (!node || typeof uPlot === "undefined") return;
    var points = riwayat.filter(function (h) { return h.persen.v !== null; });
    if (!points.length) return;
    var width = Math.max(320, Math.min(node.clientWidth || 600, 900));
    var decimal = lang === "id" ? "," : ".";
    chart = new uPlot({
      width: width,
      height: 220,
      scales: { x: { time: false }, y: { range: function (u, min, max) { return [Math.min(80, Math.floor(min)), Math.max(100, Math.ceil(max))]; } } },
      axes: [
        { values: function (u, ticks) { return ticks.map(function (t) { return Number.isInteger(t) ? String(t) : ""; }); } },
        { values: function (u, ticks) { return ticks.map(function (t) { return String(t).replace(".", decimal) + " %"; }); } },
      ],
      series: [
        { label: L.tahun, value: function (u, v) { return v === null ? "" : String(v); } },
        { label: L.persen, stroke: "#1b5fa8", width: 2, points: { size: 7 }, value: function (u, v) { return v === null ? "—" : String(v).replace(".", decimal) + " %"; } },
      ],
    }, [points.map(function (h) { return h.tahun; }), points.map(function (h) { return Number(h.persen.v); })], node);
  }

  function renderFindings(s) {
    var list = s && s.peringatan || [];
    if (!list.length) {
      fill("bagian-temuan", el("h2", null, L.temuan), el("p", { class: "kecil" }, L.tidak_ada_temuan));
      return;
    }
    var total = s.peringatan_total || list.length;
    // Open: what needs looking at. Closed: findings the workspace records as known.
    fill("bagian-temuan", el("h2", null, L.temuan + " (" + total + ")"),
      list.map(function (d) {
        return el("details", { class: "diag", open: !d.diketahui, data: { code: d.code } },
          el("summary", null, el("span", { class: "tempat" }, d.tempat || ""), d.tempat ? " " : "",
            d.code + ": " + d.message, d.diketahui ? " (" + L.diketahui + ")" : ""),
          el("pre", null, d.teks));
      }),
      total > list.length ? el("p", { class: "kecil" }, fmt(L.lainnya, { n: total - list.length })) : null);
  }

  function renderWhatifForm() {
    var section = document.getElementById("bagian-whatif");
    if (STATIC) { fill("bagian-whatif", el("p", { class: "kecil" }, L.whatif_statis)); return; }
    if (section.querySelector("textarea")) return;
    fill("bagian-whatif", el("h2", null, L.whatif), el("p", { class: "kecil" }, L.whatif_bantuan),
      el("div", { class: "alat" },
        el("textarea", { id: "whatif-set", rows: "3", cols: "50", spellcheck: "false", "aria-label": L.whatif }),
        el("button", { type: "button", id: "whatif-jalankan", on: { click: runWhatif } }, L.whatif_jalankan)),
      el("div", { id: "whatif-galat", class: "peringatan" }));
  }

  function renderWhatifBanner() {
    var node = document.getElementById("whatif-banner");
    var w = state.whatif;
    if (!w) { node.hidden = true; node.textContent = ""; return; }
    node.hidden = false;
    fill("whatif-banner", el("h2", null, L.whatif_aktif),
      el("div", { class: "kecil" }, L.whatif_perintah), el("pre", { class: "salin", id: "whatif-perintah" }, w.perintah),
      el("div", { class: "kecil" }, L.whatif_yaml), el("pre", { class: "salin", id: "whatif-yaml" }, w.yaml),
      el("button", { type: "button", class: "kedua", id: "whatif-kembali", on: { click: function () { state.whatif = null; render(); } } }, L.whatif_kembali));
  }

  function render() {
    var s = shown();
    var r = s && s.laporan;
    var changes = changeIndex(s);
    renderStatus();
    renderProblems();
    renderWhatifBanner();
    renderSummary(r, changes);
    renderChanges(s);
    renderSasaran(r, changes);
    renderIndikator(r, changes);
    renderBudget(r, changes);
    renderHistory(r, changes);
    renderFindings(state.whatif ? state.live : s);
    renderWhatifForm();
    if (state.live) {
      document.body.dataset.versi = String(state.live.versi || 0);
      document.body.dataset.status = state.live.status || "";
    }
    document.body.dataset.whatif = state.whatif ? "1" : "0";
  }

  function runWhatif() {
    var lines = document.getElementById("whatif-set").value.split(/\n/).map(function (l) { return l.trim(); }).filter(Boolean);
    var out = document.getElementById("whatif-galat");
    if (!lines.length) return;
    out.textContent = L.menghitung;
    fetch("/api/whatif", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ set: lines }) })
      .then(function (res) { return res.json().then(function (body) { return { ok: res.ok, body: body }; }); })
      .then(function (r) {
        if (!r.ok) {
          out.textContent = r.body.error || "";
          (r.body.masalah || []).forEach(function (d) { add(out, el("pre", null, d.teks)); });
          return;
        }
        out.textContent = "";
        state.whatif = r.body;
        state.whatif.lines = lines;
        render();
        window.scrollTo(0, 0);
      })
      .catch(function (e) { out.textContent = String(e); });
  }

  // The what-if line that changes a figure's input: a target for an indikator's figures,
  // the amount itself for a budget row's; null where the figure has no input of its own.
  function whatifField(target) {
    var key = target.dataset.k || "";
    var id = target.dataset.explain;
    var ukuran = key.slice(key.lastIndexOf("|") + 1);
    if (key.indexOf("kegiatan: ") === 0 || key.indexOf("jenis_belanja: ") === 0) {
      return (target.dataset.kunci || id) + "." + (ukuran === "realisasi" ? "realisasi" : "pagu") + "=";
    }
    var r = shown() && shown().laporan;
    var isIndikator = r && !r.sasaran.some(function (x) { return x.id === id; }) &&
      id !== "nilai_kinerja" && id !== "total" && key.indexOf("riwayat: ") !== 0;
    if (!isIndikator) return null;
    if (/^target_[0-9]+$/.test(ukuran)) return id + ".target." + ukuran.slice(7) + "=";
    if (ukuran === "realisasi") return id + ".realisasi=";
    if (ukuran === "target" || ukuran === "capaian") return id + ".target=";
    return null;
  }

  function explain(target) {
    var id = target.dataset.explain;
    if (!id || STATIC) return;
    var panel = document.getElementById("jelaskan");
    fill("jelaskan-judul", L.jelaskan + ": " + id);
    fill("jelaskan-isi", L.memuat);
    var field = whatifField(target);
    var tools = document.getElementById("jelaskan-alat");
    tools.textContent = "";
    if (field) {
      add(tools, el("button", { type: "button", class: "kedua", id: "jelaskan-whatif", on: { click: function () {
        var box = document.getElementById("whatif-set");
        box.value = (box.value.trim() ? box.value.trim() + "\n" : "") + field;
        panel.hidden = true;
        box.scrollIntoView({ block: "center" });
        box.focus();
        box.setSelectionRange(box.value.length, box.value.length);
      } } }, L.coba_ubah + ": " + field + "…"));
    }
    panel.hidden = false;
    // Under a what-if, the figure as the what-if computed it.
    var set = state.whatif ? "&set=" + encodeURIComponent(state.whatif.lines.join("\n")) : "";
    fetch("/api/explain?id=" + encodeURIComponent(id) + set)
      .then(function (res) { return res.json(); })
      .then(function (body) { fill("jelaskan-isi", body.teks || body.error || ""); })
      .catch(function (e) { fill("jelaskan-isi", String(e)); });
  }

  document.addEventListener("click", function (e) {
    var node = e.target.closest && e.target.closest("[data-explain]");
    if (node) explain(node);
  });
  document.getElementById("jelaskan-tutup").addEventListener("click", function () { document.getElementById("jelaskan").hidden = true; });
  document.getElementById("jelaskan").addEventListener("click", function (e) { if (e.target.id === "jelaskan") e.target.hidden = true; });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") document.getElementById("jelaskan").hidden = true; });

  // The newest run the server announced.
  var announced = { sesi: null, versi: 0 };

  function load() {
    return fetch("/api/laporan", { cache: "no-store" })
      .then(function (res) {
        if (!res.ok) throw new Error("HTTP " + res.status);
        return res.json();
      })
      .then(function (s) {
        // Fetches can finish out of order (two saves in quick succession): an older
        // run's state never replaces a newer one of the same server.
        if (state.live && s.sesi === state.live.sesi && s.versi < state.live.versi) return;
        var newRun = !state.live || s.sesi !== state.live.sesi || s.versi !== state.live.versi;
        if (newRun && state.whatif) {
          // Computed from files that have changed since: not shown as if it were current.
          state.whatif = null;
          fill("whatif-galat", L.whatif_usang);
        }
        state.live = s;
        state.sesi = s.sesi;
        render();
        if (announced.sesi === s.sesi && announced.versi > s.versi) loadSoon();
      });
  }

  // Loads the state, and keeps trying (the server may be restarting) until it has it.
  function loadSoon() {
    load().catch(function () {
      state.connected = false;
      renderStatus();
      setTimeout(loadSoon, 1000);
    });
  }

  if (STATIC) {
    state.live = JSON.parse(document.getElementById("kinerja-data").textContent);
    render();
    return;
  }
  render();
  loadSoon();
  // The server says when the report changed; the page then fetches it. EventSource
  // reconnects by itself when the server goes away and comes back.
  var events = new EventSource("/api/events");
  events.addEventListener("laporan", function (e) {
    var msg = JSON.parse(e.data);
    state.connected = true;
    announced = msg;
    if (!state.live || msg.sesi !== state.live.sesi || msg.versi !== state.live.versi) {
      loadSoon();
    } else {
      renderStatus();
    }
  });
  events.addEventListener("open", function () { state.connected = true; renderStatus(); });
  events.addEventListener("error", function () { state.connected = false; renderStatus(); });
})();
