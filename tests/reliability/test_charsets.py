"""Charsets as the web sends them: lying labels, undeclared legacy bytes, codecs no browser
knows. Unit tests on reader.charset, then feeds and pages through the CLI on a local server."""

from __future__ import annotations

import pytest
from localsite import FaultServer, Page, article_html, paragraphs

from reader import charset
from tests.conftest import Cli

SIMPLIFIED = "市民在图书馆参加志愿者活动,社区交通和公园规划工程持续推进。"
TRADITIONAL = ("香港特別行政區政府今日宣佈,將於下週舉行記者會,"
               "說明關於經濟發展與環境保護的最新計劃。"
               "颱風即將登陸,氣象局發佈緊急警報,請民眾盡量減少外出,並注意門窗安全。")
LATIN = "\u201cQuoted,\u201d she said \u2014 it\u2019s \u20ac5, caf\u00e9 na\u00efve. "


def _html(text: str, meta: str = "") -> str:
    return f"<html><head>{meta}<title>t</title></head><body><p>{text}</p></body></html>"


@pytest.mark.parametrize("label", ["rot13", "base64", "idna", "undefined", "utf-7", "UTF-7",
                                   "hex", "zlib", "x-user-defined", "replacement", "utf-8\x00"])
def test_only_web_encodings_are_accepted(label: str) -> None:
    assert charset.normalise(label) is None
    body = _html(SIMPLIFIED, f'<meta charset="{label}">').encode()
    assert charset.decode(body, label) == (body.decode(), "utf-8")


@pytest.mark.parametrize(("label", "codec"), [
    ("GBK", "gb18030"), ("gb2312", "gb18030"), ("Big5", "big5hkscs"), ("Shift_JIS", "cp932"),
    ("EUC-KR", "cp949"), ("ISO-8859-1", "cp1252"), ("latin1", "cp1252"), ("ascii", "cp1252"),
    ("us-ascii", "cp1252"), ("utf-16le", "utf-16-le"), ("gb18030", "gb18030"),
    ("big5hkscs", "big5hkscs"), ("cp932", "cp932"), ("euc_jp", "euc_jp")])
def test_legacy_labels_read_as_their_supersets(label: str, codec: str) -> None:
    assert charset.normalise(label) == codec


def test_valid_utf8_beats_a_gbk_label() -> None:
    body = _html(SIMPLIFIED, '<meta charset="gbk">').encode()
    for header in ("gbk", "gb2312", None):
        assert charset.decode(body, header) == (body.decode(), "utf-8")


def test_gbk_bytes_in_ascii_script_are_not_taken_for_utf8() -> None:
    script = "<script>var x = 1; // padding</script>\n" * 400
    body = _html(script + SIMPLIFIED, '<meta charset="utf-8">').encode("gbk")
    text, used = charset.decode(body, "gbk")
    assert used == "gb18030" and SIMPLIFIED in text


def test_undeclared_big5_is_big5() -> None:
    body = _html(TRADITIONAL).encode("big5")
    text, used = charset.decode(body)
    assert used == "big5hkscs" and TRADITIONAL in text


def test_undeclared_gbk_with_a_title_cut_mid_character_is_gbk() -> None:
    # Forum and portal lists cut long titles by byte count: "…/激" loses the second byte of
    # 激, which alone rules GBK out for the detector.
    titles = ["青石镇新修的石桥通车了", "清水河沿岸绿道工程完成过半", "县里召开农村公路建设推进会"]
    items = "".join(f'<li><a href="/a{i}.html">{t}</a></li>' for i, t in enumerate(titles))
    cut = "近期热帖：花季少女的奇幻漂流/激".encode("gbk")[:-1] + b"..."
    body = (f"<html><head><title>论坛</title></head><body><ul>{items}</ul><p>{SIMPLIFIED * 3}"
            "</p>").encode("gbk") + b'<a href="/x.html">' + cut + b"</a></body></html>"
    text, used = charset.decode(body)
    assert used == "gb18030" and SIMPLIFIED in text and titles[0] in text


def test_a_latin_page_with_one_accent_stays_latin() -> None:
    body = _html("A small English page about a caf\u00e9 in Paris and its regulars. " * 3)
    text, used = charset.decode(body.encode("cp1252"))
    assert used == "cp1252" and "caf\u00e9" in text


def test_utf16le_from_the_header_without_bom() -> None:
    body = _html(SIMPLIFIED).encode("utf-16-le")
    text, used = charset.decode(body, "utf-16le")
    assert used == "utf-16-le" and SIMPLIFIED in text


def test_latin1_label_reads_windows_1252() -> None:
    body = _html(LATIN).encode("cp1252")
    for header, meta in (("iso-8859-1", ""), (None, '<meta charset="ISO-8859-1">')):
        text, used = charset.decode(_html(LATIN, meta).encode("cp1252") if meta else body,
                                    header)
        assert used == "cp1252" and LATIN in text


def test_supersets_from_the_xml_prolog_after_whitespace() -> None:
    hk = "香港特別行政區恒生指數" + "\u5803"  # U+5803 堃: Big5-HKSCS, not plain Big5
    for text, label, codec in ((hk, "big5", "big5hkscs"), ("髙橋さん①", "shift_jis", "cp932"),
                               ("똠방각하", "euc-kr", "cp949")):
        xml = f'\n  <?xml version="1.0" encoding="{label}"?><rss><t>{text}</t></rss>'
        body = xml.encode(codec)
        assert text in charset.xml_as_utf8(body).decode("utf-8")


# --- through the CLI --------------------------------------------------------------------


def _feed(title: str, item: str, url: str, prolog: str) -> str:
    return (f"{prolog}<rss version=\"2.0\"><channel><title>{title}</title>"
            f"<link>http://example.invalid/</link><description>d</description>"
            f"<item><title>{item}</title><link>{url}</link>"
            f"<pubDate>Thu, 20 Nov 2025 08:30:00 +0800</pubDate></item></channel></rss>")


@pytest.mark.parametrize(("name", "codec", "header", "prolog"), [
    ("gbk-label-utf8", "utf-8", "gbk", '<?xml version="1.0" encoding="gb2312"?>'),
    ("undeclared-big5", "big5", None, ""),
    ("spaced-big5", "big5hkscs", None, '\n  <?xml version="1.0" encoding="big5"?>'),
    ("latin1-cp1252", "cp1252", "iso-8859-1", '<?xml version="1.0" encoding="iso-8859-1"?>'),
    ("utf7", "utf-8", "utf-7", '<?xml version="1.0" encoding="utf-7"?>'),
])
def test_feeds_decode_as_a_browser_would(cli: Cli, server: FaultServer, name: str, codec: str,
                                         header: str | None, prolog: str) -> None:
    cli("settings", "request_delay_ms", "0")
    title = LATIN.strip() if codec == "cp1252" else TRADITIONAL[:12]
    item = LATIN.strip()[:20] if codec == "cp1252" else TRADITIONAL[13:30]
    page = Page(url=server.url(f"/{name}.html"), title=item, paragraphs=paragraphs(1))
    server.serve(f"/{name}.html", article_html(page).encode())
    body = _feed(title, item, page.url, prolog).encode(codec)
    content_type = "application/rss+xml" + (f"; charset={header}" if header else "")
    cli("add", server.serve(f"/{name}.xml", body, content_type=content_type))
    [source] = cli.json("sources")  # type: ignore[misc]
    assert source["title"] == title
    cli("update")
    [row] = cli.json("list")  # type: ignore[misc]
    assert row["title"] == item


def test_a_utf16le_page_declared_in_the_header(cli: Cli, server: FaultServer) -> None:
    page = Page(url=server.url("/u16.html"), title="双字节标题", paragraphs=paragraphs(2))
    url = server.serve("/u16.html", article_html(page, charset="utf-16").encode("utf-16-le"),
                       content_type="text/html; charset=utf-16le")
    found = cli.json("extract", url)
    assert found["title"] == "双字节标题" and found["encoding"] == "utf-16-le"  # type: ignore[index]
