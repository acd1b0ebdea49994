#!/usr/bin/env python3
"""Checks index.html of exported bundles in a real browser, with the network off.

For each language: exports the sample subject with the built seqport, unzips the bundle, opens
index.html from disk in Debian's headless Chromium (driven by Playwright, every non-file request
blocked and recorded), and checks the rendered DOM against manifest.json: the lang attribute, every
category with its record count, the rows shown, images with text alternatives that load, local links
that exist, the filter script, no request other than file://, no axe-core violations (axe.min.js from
the axe-playwright-python wheel, injected inline), and `tidy -q -e` without errors. Saves screenshots
to ci-artifacts/. Prints one line per check and `browser: N passed, M failed`; exits 1 on a failure.

    python3 Tests/browser/check_page.py [--seqport .build/debug/seqport] [--samples Samples]
"""
import argparse, json, os, pathlib, shutil, subprocess, sys, tempfile, zipfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
results = []


def check(name, ok, detail=""):
    results.append(ok)
    print(("ok   " if ok else "FAIL ") + name + ("" if ok or not detail else f": {detail}"))


def find_browser():
    for name in ("chromium-headless-shell", "chromium"):
        path = shutil.which(name)
        if path:
            return path
    for path in ("/usr/lib/chromium/chromium-headless-shell", "/usr/lib/chromium/chromium"):
        if os.path.exists(path):
            return path
    sys.exit("check_page: no chromium-headless-shell or chromium found (apt-get install chromium-headless-shell)")


def axe_source():
    import axe_playwright_python
    return (pathlib.Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


def export(seqport, out, lang):
    subprocess.run([seqport, "export", "--config", str(ROOT / "Samples/seqport.json"),
                    "--store", str(ROOT / "Samples/sample-store.sqlite"), "--subject", "s-00001",
                    "--generated-at", "2026-01-01T00:00:00Z", "--lang", lang, "--out", str(out)],
                   check=True, stdout=subprocess.DEVNULL)
    bundle = out / "seqport-s-00001-access.zip"
    folder = out / f"unzipped-{lang}"
    with zipfile.ZipFile(bundle) as z:
        z.extractall(folder)
    return folder


def check_tidy(index, lang):
    if not shutil.which("tidy"):
        check(f"{lang}: tidy installed", False, "apt-get install tidy")
        return
    run = subprocess.run(["tidy", "-q", "-e", str(index)], capture_output=True, text=True)
    # tidy: 0 clean, 1 warnings only, 2 errors.
    check(f"{lang}: tidy -q -e reports no errors (exit {run.returncode})", run.returncode < 2, run.stderr.strip()[:2000])
    if run.returncode == 1:
        print("     tidy warnings:\n     " + run.stderr.strip().replace("\n", "\n     "))


def check_page(browser, folder, lang, axe, artifacts, samples):
    manifest = json.loads((folder / "manifest.json").read_text())
    index = folder / "index.html"
    requests = []
    context = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://") else route.abort())
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(index.as_uri(), wait_until="load")

    check(f"{lang}: html lang is {lang}", page.get_attribute("html", "lang") == lang)
    check(f"{lang}: manifest language is {lang}", manifest["language"] == lang)
    for c in manifest["categories"]:
        sel = f'section[data-category="{c["name"]}"]'
        found = page.query_selector(sel)
        if not found:
            check(f"{lang}: category {c['name']} present", False)
            continue
        records = found.get_attribute("data-records")
        summary = found.query_selector(".summary").inner_text()
        rows = found.eval_on_selector_all("tbody[id^=b-] tr", "rs => rs.length")
        expect_rows = min(c["records"], 50)
        digits = summary.replace(",", "").replace("\u00a0", "")  # 1,000,000 (en), 1 000 000 (sv)
        ok = records == str(c["records"]) and str(c["records"]) in digits and rows == expect_rows
        ok = ok and found.is_visible() and all(found.query_selector(f'a[href="{p}"]') for p in c["files"].values())
        check(f"{lang}: category {c['name']}: {c['records']} records, {rows} rows shown, links to its copies", ok,
              f"data-records={records} summary={summary!r} rows={rows}")
        if c["records"] > expect_rows:
            check(f"{lang}: category {c['name']} says it shows the first {expect_rows} of {c['records']}",
                  f"{c['records']}" in found.query_selector(".note").inner_text().replace(",", "").replace("\u00a0", ""))

    imgs = page.eval_on_selector_all("img", "is => is.map(i => [i.getAttribute('alt'), i.complete && i.naturalWidth > 0, i.src])")
    check(f"{lang}: {len(imgs)} image(s), each with a text alternative and loaded",
          len(imgs) > 0 and all(alt and alt.strip() and loaded for alt, loaded, _ in imgs), str(imgs))
    hrefs = page.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))")
    local = [h for h in hrefs if not h.startswith(("#", "mailto:", "https://", "http://"))]
    missing = [h for h in local if not (folder / h).is_file()]
    check(f"{lang}: all {len(local)} links to bundle files exist", not missing, str(missing[:5]))
    anchors = [h[1:] for h in hrefs if h.startswith("#")]
    check(f"{lang}: all {len(anchors)} in-page links have a target",
          all(page.query_selector(f'[id="{a}"]') for a in anchors))
    listed = {f["path"] for f in manifest["files"]} - {"index.html"}
    shown = set(page.eval_on_selector_all("#files tbody a", "as => as.map(a => a.getAttribute('href'))"))
    check(f"{lang}: files section lists every file of the manifest", listed == shown, str(listed ^ shown))
    check(f"{lang}: rights section names the contact and the supervisory authority",
          manifest["controller"]["contact"] in page.inner_text("#rights")
          and page.query_selector(f'#rights a[href="{manifest["controller"]["supervisoryAuthority"]["url"]}"]') is not None)

    # The Art. 15 facts of issue 14: transfers and automated decisions have their sections, times show
    # local time with UTC on hover.
    for section in ("transfers", "automated"):
        check(f"{lang}: {section} section present with its heading",
              page.query_selector(f"section#{section} h2") is not None and page.query_selector(f"section#{section}").is_visible())
    times = page.eval_on_selector_all("time[datetime]", "ts => ts.map(t => [t.getAttribute('datetime'), t.getAttribute('title') || ''])")
    check(f"{lang}: {len(times)} times, each with its UTC instant", len(times) > 0 and all(d.endswith("Z") for d, _ in times), str(times[:3]))

    # The filter: typing narrows the long table; clearing restores it.
    box = page.query_selector('input[data-filter]')
    if box:
        body = "#" + box.get_attribute("data-filter")
        before = page.eval_on_selector_all(body + " tr:not([hidden])", "rs => rs.length")
        box.fill("zzzz-no-such-text")
        after = page.eval_on_selector_all(body + " tr:not([hidden])", "rs => rs.length")
        box.fill("")
        restored = page.eval_on_selector_all(body + " tr:not([hidden])", "rs => rs.length")
        check(f"{lang}: filter box hides non-matching rows ({before} → {after} → {restored})",
              box.is_visible() and before > 0 and after == 0 and restored == before)
    check(f"{lang}: no script errors", not errors, str(errors[:3]))

    artifacts.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(artifacts / f"page-{lang}.png"), full_page=True)
    if samples and lang == "en":
        page.screenshot(path=str(pathlib.Path(samples) / "page-en.png"), clip={"x": 0, "y": 0, "width": 1280, "height": 1400}, full_page=True)
        page.query_selector("section[data-category]").screenshot(path=str(pathlib.Path(samples) / "page-en-data.png"))

    context.close()

    # axe-core, injected inline; the page's own Content-Security-Policy forbids that (only the page's
    # script may run), so this context alone bypasses it.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, offline=True, bypass_csp=True)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://") else route.abort())
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.goto(index.as_uri(), wait_until="load")
    page.add_script_tag(content=axe)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    violations = [f"{v['id']} ({len(v['nodes'])}): {v['help']} {[n['target'] for n in v['nodes'][:3]]}" for v in result["violations"]]
    check(f"{lang}: axe-core {page.evaluate('axe.version')}: no accessibility violations", not violations, "; ".join(violations))
    context.close()

    outside = [u for u in requests if not u.startswith("file://")]
    check(f"{lang}: no request other than file:// ({len(requests)} requests)", not outside, str(outside[:5]))

    # Without script the page is complete: every category and row is there, no filter box shows.
    context = browser.new_context(java_script_enabled=False, offline=True)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://") else route.abort())
    page = context.new_page()
    page.goto(index.as_uri(), wait_until="load")
    sections = page.eval_on_selector_all("section[data-category]", "ss => ss.length")
    check(f"{lang}: without script all {sections} categories show, no filter box",
          sections == len(manifest["categories"]) and not any(b.is_visible() for b in page.query_selector_all("input[data-filter]")))
    context.close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seqport", default=str(ROOT / ".build/debug/seqport"))
    ap.add_argument("--artifacts", default=str(ROOT / "ci-artifacts"))
    ap.add_argument("--samples", help="also write the README's screenshots into this folder (Samples): "
                    "page-en.png (the top of the English page) and page-en-data.png (its first category)")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright
    axe = axe_source()
    with tempfile.TemporaryDirectory(prefix="seqport-page-") as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=find_browser(), args=[
            "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>"])
        print(f"browser: {browser.browser_type.name} {browser.version} ({find_browser()})")
        for lang in ("en", "sv"):
            folder = export(args.seqport, pathlib.Path(tmp), lang)
            check_tidy(folder / "index.html", lang)
            check_page(browser, folder, lang, axe, pathlib.Path(args.artifacts), args.samples)
        browser.close()
    passed, failed = results.count(True), results.count(False)
    print(f"browser: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
