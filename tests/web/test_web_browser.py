"""The web page in a real browser: Playwright for Python driving Debian's Chromium
(/usr/bin/chromium; never `playwright install`).  A uvicorn server runs in a thread on a
temporary SQLite store holding our hand-built articles."""
from __future__ import annotations

import os
import socket
import threading
import time
import sys
from pathlib import Path

STORE_TESTS = str(Path(__file__).resolve().parents[1] / "store")  # docfactory lives there
if STORE_TESTS not in sys.path:
    sys.path.append(STORE_TESTS)

import pytest

CHROMIUM = os.environ.get("DEREK_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
XSS = ('Ресей туралы жаңалық <script>window.__pwned = "script"</script> және '
       '<img src="x" onerror="window.__pwned = \'img\'"> сурет <b>қалың</b>.')

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"),
]
playwright_sync = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package")
expect = playwright_sync.expect


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    import uvicorn

    from derek.api import create_app
    from derek.store import Store
    from docfactory import corpus, make_doc

    store = Store(f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.sqlite'}")
    ids = {k: store.add(d).id for k, d in corpus().items()}
    ids["xss"] = store.add(make_doc(XSS, headline='<img src=x onerror="window.__pwned=\'headline\'">',
                                    entities=[("Ресей", "GPE", "Ресей")])).id
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(store=store), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    assert srv.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}", ids
    srv.should_exit = True
    thread.join(10)
    store.close()


@pytest.fixture(scope="session")
def shots(tmp_path_factory, pytestconfig) -> Path:
    """Where the screenshots go (kept as the run's artefacts): $DEREK_SCREENSHOTS, else a
    folder of pytest's temporary directory; printed so it can be found."""
    folder = Path(os.environ.get("DEREK_SCREENSHOTS") or tmp_path_factory.getbasetemp() / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"web page screenshots: {folder}")
    return folder


@pytest.fixture(scope="module")
def browser():
    with playwright_sync.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield ctx
    ctx.close()


def open_page(ctx, url: str):
    pg = ctx.new_page()
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.goto(url)
    pg.wait_for_selector("body[data-ready='1']")
    return pg


@pytest.fixture
def page(context, server):
    """The page as a first visitor sees it: Kazakh (nothing chosen yet)."""
    return open_page(context, server[0] + "/")


OWN_ARTICLE = ("Павлодарда жаңа көпір салынды\n\n"
               "Павлодар облысының әкімдігі Ертіс өзені арқылы өтетін жаңа көпірді пайдалануға берді. "
               "Құрылысқа 2023 жылы 45 млрд теңге жұмсалды, деп хабарлады облыстық құрылыс басқармасы. "
               "«Көпір екі ауданды қысқа жолмен байланыстырады», — деді облыс әкімі Асқар Бекұлы.\n")


def _analyse(page, text: str) -> None:
    page.fill("#article", text)
    page.click("#analyze-btn")
    page.wait_for_selector("#doc-view .derek-text", timeout=90_000)


def _open_stored(page, words: str, title_part: str) -> None:
    page.fill("#q", words)
    page.click("#search-btn")
    page.wait_for_selector("#hits li[data-id]")
    page.locator("#hits li", has_text=title_part).first.locator("button.hit-open").click()
    page.wait_for_selector("#doc-view .derek-text")


def test_paste_the_seed_and_see_highlights(page, seed_text, shots):
    import derek

    _analyse(page, seed_text)
    view = page.locator("#doc-view .derek-text")
    assert view.text_content() == seed_text  # the exact text, highlighted in place
    expected = derek.analyze(seed_text)
    spans = page.locator("#doc-view .derek-text span")
    n_items = len(expected.entities) + len(expected.quantities) + len(expected.quotes) + len(expected.claims) + len(expected.dates)
    assert (spans.count() > 0) == (n_items > 0)
    for e in expected.entities[:5]:
        assert page.locator(f"#doc-view .derek-text .ent-{e.label}").count() > 0
    if expected.quantities:
        assert e_text_in(page, "#doc-view .derek-text .qty", expected.quantities[0].text)
    unit_errors = [c for c in expected.claims if (c.verdict or {}).get("diagnosis") == "unit_error"]
    if unit_errors:  # the claims stage checks the seed's trade-turnover figure
        badge = page.locator("#doc-view .diagnosis-unit_error").first
        assert badge.is_visible() and badge.text_content() == "өлшем бірлігі қате"
        assert page.locator("#doc-view .verdict-inconsistent").first.is_visible()
    page.screenshot(path=str(shots / "seed-kk.png"), full_page=True)
    assert not page.errors


def e_text_in(page, selector: str, text: str) -> bool:
    return any(text.startswith(t) or t in text for t in page.locator(selector).all_text_contents())


def test_kazakh_by_default_everywhere(page, shots):
    """Labels, the analysis view, verdicts and the status line: Kazakh, with no choice made."""
    assert page.evaluate("document.documentElement.lang") == "kk"
    assert page.title() == "derek — қазақ жаңалықтарының дерек қоры"
    assert page.locator("#analyze-heading").text_content() == "Мақаланы талдау"
    assert page.get_by_role("button", name="Талдау").is_visible()
    assert page.get_by_label("Мақала мәтіні").is_visible()
    assert page.locator("button.lang[data-lang='kk']").get_attribute("aria-pressed") == "true"
    _analyse(page, OWN_ARTICLE)
    assert page.locator("#doc-view h3").first.text_content() in ("Мәлімдемелер", "Дәйексөздер", "Атаулар")
    assert "дайын болды" in page.locator("#analyze-status").text_content()
    legend = page.locator("#doc-view .legend").text_content()
    assert "Тұлға" in legend or "Ел, елді мекен" in legend
    _open_stored(page, "Ресейдің", "тауар айналымы өсті")
    assert page.locator("#doc-view .verdict-inconsistent").first.text_content() == "дерекке сай емес"
    assert page.locator("#doc-view .diagnosis-unit_error").first.text_content() == "өлшем бірлігі қате"
    assert "30 млрд теңге шамамен 60 млн доллар" in page.locator("#doc-view .explanation").first.text_content()
    page.screenshot(path=str(shots / "page-kk.png"), full_page=True)
    assert not page.errors


def test_english_and_russian_switches_and_the_choice_is_kept(context, server, shots):
    base, _ = server
    page = open_page(context, base + "/")
    _open_stored(page, "Ресейдің", "тауар айналымы өсті")
    page.get_by_role("button", name="English").click()
    expect(page.locator("#analyze-heading")).to_have_text("Analyse an article")
    assert page.evaluate("document.documentElement.lang") == "en" and "lang=en" in page.url
    assert page.locator("button.lang[data-lang='en']").get_attribute("aria-pressed") == "true"
    # what is on screen follows: the article view comes back from the server in English
    expect(page.locator("#doc-view .verdict-inconsistent").first).to_have_text("inconsistent")
    assert "the currency looks wrong" in page.locator("#doc-view .explanation").first.text_content()
    assert page.get_by_label("Search words").is_visible()
    page.screenshot(path=str(shots / "page-en.png"), full_page=True)
    # kept: a new visit without ?lang= opens in English (localStorage) …
    again = open_page(context, base + "/")
    expect(again.locator("#search-heading")).to_have_text("Search the corpus")
    # … and ?lang= wins over what was kept
    russian = open_page(context, base + "/?lang=ru")
    expect(russian.locator("#search-heading")).to_have_text("Поиск по корпусу")
    assert russian.title() == "derek — база фактов казахских новостей"
    _open_stored(russian, "Ресейдің", "тауар айналымы өсті")
    expect(russian.locator("#doc-view .verdict-inconsistent").first).to_have_text("не соответствует")
    expect(russian.locator("#doc-view .claims h3")).to_have_text("Утверждения")
    russian.click("#timeline-btn")
    russian.wait_for_selector("#plot svg .reference-line")
    assert russian.locator("#timeline-table th").first.text_content() == "Период"
    russian.screenshot(path=str(shots / "page-ru.png"), full_page=True)
    assert not page.errors and not russian.errors


@pytest.mark.parametrize("lang,empty,bad_date,bad_indicator", [
    ("kk", "Алдымен мақала мәтінін қойыңыз.", "күнді ЖЖЖЖ, ЖЖЖЖ-АА немесе ЖЖЖЖ-АА-КК түрінде жазыңыз",
     "Көрсеткіш коды тек латын әріптерінен"),
    ("en", "Paste an article first.", "write the date as YYYY, YYYY-MM or YYYY-MM-DD", "An indicator id is Latin letters"),
    ("ru", "Сначала вставьте текст статьи.", "укажите дату как ГГГГ, ГГГГ-ММ или ГГГГ-ММ-ДД", "Код показателя состоит"),
])
def test_error_messages_speak_the_chosen_language(context, server, shots, lang, empty, bad_date, bad_indicator):
    page = open_page(context, server[0] + f"/?lang={lang}")
    page.click("#analyze-btn")
    expect(page.locator("#analyze-error")).to_have_text(empty)
    page.fill("#f-since", "кеше")
    page.click("#search-btn")
    # locator expectations poll without evaluating strings in the page: the app's CSP forbids eval
    expect(page.locator("#search-error")).to_contain_text(bad_date)
    page.fill("#indicator", "сауда айналымы")
    page.click("#timeline-btn")
    expect(page.locator("#timeline-error")).to_contain_text(bad_indicator)
    page.screenshot(path=str(shots / f"errors-{lang}.png"), full_page=True)


def test_the_page_works_from_the_keyboard_alone(page, shots):
    """Tab reaches every control in reading order; Enter and Space do the rest."""
    order = []
    for _ in range(25):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.id || document.activeElement.dataset.lang || "
                                   "document.activeElement.className"))
    for wanted in ("kk", "en", "ru", "article", "analyze-btn", "upload", "q", "search-btn", "f-entity", "f-since",
                   "indicator", "timeline-btn"):
        assert wanted in order, (wanted, order)
    assert order.index("article") < order.index("analyze-btn") < order.index("q") < order.index("indicator")
    assert order[0] == "skip"  # the first stop skips the header
    # search by typing and Enter, then open a hit with the keyboard
    page.focus("#q")
    page.keyboard.type("Ресейдің")
    page.keyboard.press("Enter")
    page.wait_for_selector("#hits li[data-id]")
    page.keyboard.press("Tab")  # from the search box: the search button …
    hit = page.locator("#hits button.hit-open").first
    hit.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#doc-view .derek-text")
    # analyse with Ctrl+Enter from the text box
    page.focus("#article")
    page.keyboard.type("Астанада жаңа мектеп ашылды. Оған 2 млрд теңге жұмсалды.")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#doc-view .derek-text")).to_have_text("Астанада жаңа мектеп ашылды. Оған 2 млрд теңге жұмсалды.")
    # the language switch: Space on a focused button
    page.focus("button.lang[data-lang='en']")
    page.keyboard.press("Space")
    expect(page.locator("#search-heading")).to_have_text("Search the corpus")
    page.screenshot(path=str(shots / "keyboard.png"), full_page=True)


def test_every_control_has_a_name_for_screen_readers(page):
    names = page.evaluate("""Array.from(document.querySelectorAll('input, textarea, button, select')).map(el => {
        const label = el.labels && el.labels.length ? el.labels[0].textContent.trim() : '';
        return [el.id || el.dataset.lang || el.className, label || el.getAttribute('aria-label') || el.textContent.trim()];
    })""")
    assert names and all(name for _, name in names), names
    assert page.get_by_role("group", name="Беттің тілі").is_visible()
    assert page.get_by_role("search").is_visible()
    for role, name in (("textbox", "Мақала мәтіні"), ("searchbox", "Іздеу сөздері"), ("textbox", "Көрсеткіш коды"),
                       ("button", "Іздеу"), ("button", "Графигін салу")):
        assert page.get_by_role(role, name=name).count() == 1, (role, name)
    assert page.locator("[role=alert]").count() == 3 and page.locator("[role=status]").count() == 2
    page.fill("#q", "Ресей")
    page.click("#search-btn")
    page.wait_for_selector("#hits li[data-id]")
    assert page.get_by_role("button", name="Мақаланы ашу: Ресей мен Қазақстан арасындағы тауар айналымы өсті").count() == 1
    page.click("#timeline-btn")
    page.wait_for_selector("#plot svg")
    assert "trade_turnover" in page.locator("#plot svg").get_attribute("aria-label")
    assert page.locator("#plot svg").get_attribute("role") == "img"


def test_search_opens_a_stored_article_with_its_verdict(page):
    _open_stored(page, "Ресейдің", "тауар айналымы өсті")
    assert page.locator("#hits mark").count() >= 1
    assert page.locator("#doc-view .verdict-inconsistent").first.is_visible()
    assert page.locator("#doc-view .diagnosis-unit_error").first.is_visible()
    assert page.locator("#doc-view .derek-text .ent-GPE").first.text_content() == "Ресей"


def test_search_filters(page):
    page.fill("#f-entity", "Ресей")
    page.fill("#f-since", "2024-03-06")
    page.click("#search-btn")
    page.wait_for_selector("#hits li")
    assert len(page.locator("#hits li[data-id]").all()) == 2
    page.fill("#f-entity", "")
    page.fill("#f-since", "")
    page.fill("#f-outlet", "https://other.example.kz/")
    page.click("#search-btn")
    expect(page.locator("#hits li[data-id]")).to_have_count(1)
    assert "other.example.kz" in page.locator("#hits .hit-meta").first.text_content()
    page.fill("#f-outlet", "")
    page.fill("#f-until", "2023-12-31")
    page.click("#search-btn")
    expect(page.locator("#hits li[data-id]")).to_have_count(2)
    assert "белгісіз басылым" in page.locator("#hits").text_content()  # the school article has no outlet


def test_timeline_plot_is_inline_svg(page):
    page.click("#timeline-btn")
    page.wait_for_selector("#plot svg .reference-line")
    assert page.locator("#plot svg .claim-point").count() == 1
    assert page.locator("#plot svg .claim-point").get_attribute("fill") == "#d11a2a"  # inconsistent
    assert page.locator("#timeline-table .reference-row").count() >= 3
    assert page.locator("#timeline-table caption").text_content() == "Айтылған мәндер және анықтамалық қатар"


def test_untrusted_article_renders_as_text_and_runs_nothing(page, server):
    _analyse(page, XSS)
    view = page.locator("#doc-view .derek-text")
    assert view.text_content() == XSS
    assert page.locator("#result img, #result script, #result b").count() == 0
    # stored copy, reached through search: hit list and article view stay inert too
    page.fill("#q", "сурет")
    page.click("#search-btn")
    page.wait_for_selector("#hits li[data-id]")
    assert page.locator("#hits img").count() == 0
    assert "<img" in page.locator("#hits .hit-title").first.text_content()
    page.locator("#hits button.hit-open").first.click()
    expect(page.locator("#doc-view h2")).to_contain_text("<img")
    assert page.locator("#result img").count() == 0
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned === undefined")
    assert page.dialogs == []


def test_offline_docs_page(page, server):
    page.goto(server[0] + "/docs")
    page.wait_for_selector("#endpoints h2")
    assert "POST /analyze" in page.locator("#endpoints").text_content()


def test_upload_an_html_file(page, tmp_path):
    html = ("<html><head><title>Жаңа мектеп</title><script>window.__pwned='upload'</script></head><body><article>"
            "<p>Астанада 2024 жылы жаңа мектеп ашылды. Оған 2 млрд теңге жұмсалды, деп хабарлайды тілші.</p>"
            "</article></body></html>")
    f = tmp_path / "article.html"
    f.write_text(html, encoding="utf-8")
    page.set_input_files("#upload", str(f))
    page.wait_for_selector("#doc-view .derek-text", timeout=60_000)
    text = page.locator("#doc-view .derek-text").text_content()
    assert "Астанада 2024 жылы жаңа мектеп ашылды" in text and "<p>" not in text
    assert page.evaluate("window.__pwned === undefined")
