#!/usr/bin/env python3
"""Generate a deterministic corpus of realistic helpdesk mails for benchmarks and tests.

Usage: Benchmarks/generate-mails.py OUTDIR [--count N] [--seed S]

Writes OUTDIR/000001.eml ... (RFC 5322, CRLF line endings) from customers at
example.org to support@example.test. The same seed always gives byte-identical
files. The mix: plain text, multipart/alternative text+HTML (quoted-printable),
base64 bodies, HTML only, multipart/related, forwarded messages, ~10% with
binary attachments (5 KB - 300 KB), auto-replies and delivery reports; charsets
utf-8, us-ascii, iso-8859-1, windows-1252, koi8-r, shift_jis and gb2312 with
RFC 2047 encoded headers; replies with In-Reply-To/References to earlier mails
and [TKT-NNNNNN] subject tags. Existing NNNNNN.eml files in OUTDIR are replaced.
Only the standard library is used.
"""

import argparse
import base64
import binascii
import datetime
import os
import random
import re
import sys
import time

DEFAULT_COUNT = 2000
DEFAULT_SEED = 20260105
CRLF = "\r\n"

# ---------------------------------------------------------------------------
# Text material per language

LANGS = {
    "en": {
        "charsets": [("us-ascii", 5), ("utf-8", 4)],
        "first": ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda",
                  "David", "Elizabeth", "Sarah", "Thomas", "Karen", "Daniel", "Nancy", "Paul"],
        "last": ["Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson",
                 "Anderson", "Taylor", "Moore", "Jackson", "Martin", "Thompson", "White", "Clark"],
        "subjects": ["Cannot log in to my account", "Invoice {n} looks wrong",
                     "Order #{n} has not arrived", "Refund request for order {n}",
                     "Password reset link expired", "Question about your pricing plans",
                     "App crashes on startup", "How do I export my data?",
                     "Double charge on my credit card", "Feature request: dark mode",
                     "Urgent: service down since this morning", "Change of billing address",
                     "Cancel my subscription", "Error 500 when uploading files",
                     "Two-factor authentication not working", "Where is my order?"],
        "greet": ["Hello,", "Hi there,", "Dear Support Team,", "Good morning,", "Hi,"],
        "sentences": [
            "I have been trying to sign in since yesterday but the page keeps reloading.",
            "My order number is {n} and it was supposed to arrive last week.",
            "Could you please check what went wrong with my last invoice?",
            "The amount charged does not match the price shown on your website.",
            "I already cleared the browser cache and tried a different computer.",
            "This is quite urgent because our whole team depends on it.",
            "Please let me know if you need any further information from my side.",
            "I attached a screenshot of the error message I get.",
            "The problem started right after the latest update was installed.",
            "We are using the business plan with twelve seats.",
            "Is there a way to download all of our records as a spreadsheet?",
            "I would like to cancel the renewal that is due on the first of next month.",
            "Your colleague promised to call me back, but nobody did.",
            "The tracking page has said \"in transit\" for nine days now.",
        ],
        "close": ["Thanks in advance,", "Best regards,", "Kind regards,", "Cheers,", "Thank you,"],
        "reply": "Re: ", "fwd": "Fwd: ",
        "wrote": "On {date}, Support Team wrote:",
    },
    "de": {
        "charsets": [("iso-8859-1", 5), ("utf-8", 4), ("windows-1252", 1)],
        "first": ["Jürgen", "Sören", "Käthe", "Jörg", "Günther", "Bärbel", "Matthias", "Anja",
                  "Uwe", "Heike", "Björn", "Dörte"],
        "last": ["Müller", "Schröder", "Weiß", "Groß", "Köhler", "Bäcker", "Schäfer", "Hoffmann",
                 "Krüger", "Wöhler", "Fuß", "Lüdtke"],
        "subjects": ["Rechnung {n} ist fehlerhaft", "Lieferung verspätet – Bestellung {n}",
                     "Anmeldung nicht möglich", "Kündigung meines Vertrags",
                     "Rückerstattung für Bestellung {n}", "Frage zur Datenübertragung",
                     "Passwort zurücksetzen funktioniert nicht", "Änderung der Lieferadresse",
                     "Störung seit heute früh", "Doppelte Abbuchung"],
        "greet": ["Sehr geehrte Damen und Herren,", "Hallo,", "Guten Tag,", "Liebes Support-Team,"],
        "sentences": [
            "seit gestern kann ich mich nicht mehr in mein Konto einloggen.",
            "Die Bestellung {n} sollte eigentlich schon letzte Woche ankommen.",
            "Bitte prüfen Sie, warum der Betrag auf der Rechnung höher ist.",
            "Ich habe bereits den Browser-Cache gelöscht und einen anderen Rechner ausprobiert.",
            "Das Problem tritt erst seit dem letzten Update auf.",
            "Für Rückfragen stehe ich Ihnen gerne zur Verfügung.",
            "Die Sendungsverfolgung zeigt seit neun Tagen „unterwegs“ an.",
            "Wir nutzen den Business-Tarif mit zwölf Plätzen.",
            "Können Sie mir bitte eine korrigierte Rechnung schicken?",
            "Ich möchte die automatische Verlängerung zum Monatsende kündigen.",
            "Übrigens funktioniert die Anmeldung über das Smartphone problemlos.",
        ],
        "close": ["Mit freundlichen Grüßen", "Viele Grüße", "Beste Grüße", "Danke und Gruß"],
        "reply": "AW: ", "fwd": "WG: ",
        "wrote": "Am {date} schrieb Support Team:",
    },
    "fr": {
        "charsets": [("windows-1252", 4), ("iso-8859-1", 2), ("utf-8", 4)],
        "first": ["Amélie", "François", "Hélène", "Jérôme", "Cécile", "Benoît", "Océane",
                  "Stéphane", "Zoé", "Gaëlle"],
        "last": ["Lefèvre", "Dupré", "Bérard", "Moreau", "Lemaître", "Girard", "Faure",
                 "Chevalier", "Rousseau", "Noël"],
        "subjects": ["Problème de connexion à mon compte", "Facture {n} erronée",
                     "Commande {n} non reçue", "Demande de remboursement",
                     "Résiliation de mon abonnement", "Question sur les tarifs",
                     "L’application plante au démarrage", "Changement d’adresse de facturation"],
        "greet": ["Bonjour,", "Madame, Monsieur,", "Bonjour à toute l’équipe,"],
        "sentences": [
            "je n’arrive plus à me connecter depuis hier soir.",
            "Ma commande {n} devait être livrée la semaine dernière.",
            "Le montant prélevé ne correspond pas au prix affiché : 49,90 € au lieu de 39,90 €.",
            "J’ai déjà vidé le cache du navigateur et essayé sur un autre ordinateur.",
            "Le problème est apparu juste après la dernière mise à jour.",
            "Pourriez-vous m’envoyer une facture corrigée ?",
            "C’est assez urgent car toute l’équipe en dépend.",
            "Je reste à votre disposition pour tout renseignement complémentaire.",
            "Le suivi indique « en cours d’acheminement » depuis neuf jours.",
        ],
        "close": ["Cordialement,", "Bien à vous,", "Merci d’avance,", "Salutations distinguées,"],
        "reply": "RE: ", "fwd": "TR: ",
        "wrote": "Le {date}, Support Team a écrit :",
    },
    "ru": {
        "charsets": [("koi8-r", 6), ("utf-8", 4)],
        "first": ["Иван", "Ольга", "Сергей", "Наталья", "Дмитрий", "Елена", "Алексей", "Татьяна"],
        "last": ["Иванов", "Петрова", "Смирнов", "Кузнецова", "Попов", "Соколова", "Лебедев",
                 "Новикова"],
        "subjects": ["Не могу войти в аккаунт", "Ошибка в счёте {n}", "Заказ {n} не доставлен",
                     "Возврат средств", "Отмена подписки", "Вопрос по тарифам",
                     "Приложение не запускается"],
        "greet": ["Здравствуйте!", "Добрый день,", "Уважаемая служба поддержки,"],
        "sentences": [
            "Со вчерашнего дня я не могу войти в свой аккаунт.",
            "Мой заказ {n} должен был прийти на прошлой неделе.",
            "Пожалуйста, проверьте, почему сумма в счёте больше обычной.",
            "Я уже очистил кэш браузера и попробовал другой компьютер.",
            "Проблема появилась сразу после последнего обновления.",
            "Это срочно, так как от этого зависит работа всей команды.",
            "Если нужна дополнительная информация, напишите мне.",
        ],
        "close": ["С уважением,", "Спасибо заранее,", "Всего доброго,"],
        "reply": "Re: ", "fwd": "Fwd: ",
        "wrote": "{date}, Support Team пишет:",
    },
    "ja": {
        "charsets": [("shift_jis", 6), ("utf-8", 4)],
        "first": ["太郎", "花子", "健", "美咲", "翔太", "陽菜", "大輔", "彩"],
        "last": ["佐藤", "鈴木", "高橋", "田中", "渡辺", "伊藤", "山本", "中村"],
        "subjects": ["ログインできません", "請求書{n}の金額について", "注文{n}が届きません",
                     "返金のお願い", "解約について", "料金プランに関する質問",
                     "アプリが起動しません"],
        "greet": ["お世話になっております。", "サポートご担当者様", "こんにちは。"],
        "sentences": [
            "昨日からアカウントにログインできなくなりました。",
            "注文番号{n}の商品が先週届く予定でしたが、まだ届いていません。",
            "請求金額がウェブサイトの表示と異なっています。",
            "ブラウザのキャッシュを削除し、別のパソコンでも試しました。",
            "最新のアップデート後に問題が発生しました。",
            "チーム全員が利用しているため、至急ご確認をお願いいたします。",
            "ご不明な点がございましたらご連絡ください。",
        ],
        "close": ["よろしくお願いいたします。", "以上、よろしくお願いします。"],
        "reply": "Re: ", "fwd": "Fw: ",
        "wrote": "{date} Support Team さんは書きました:",
    },
    "zh": {
        "charsets": [("gb2312", 6), ("utf-8", 4)],
        "first": ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊"],
        "last": ["王", "李", "张", "刘", "陈", "杨", "黄", "赵"],
        "subjects": ["无法登录我的账户", "发票{n}金额有误", "订单{n}尚未收到", "申请退款",
                     "取消订阅", "关于价格方案的问题", "应用程序无法启动"],
        "greet": ["您好，", "尊敬的客服团队：", "你好，"],
        "sentences": [
            "从昨天开始我就无法登录我的账户了。",
            "我的订单{n}本应在上周送达，但至今仍未收到。",
            "账单上的金额与网站上显示的价格不一致。",
            "我已经清除了浏览器缓存，并在另一台电脑上尝试过。",
            "问题是在最近一次更新之后出现的。",
            "这件事比较紧急，因为整个团队都在使用。",
            "如需更多信息，请随时与我联系。",
        ],
        "close": ["谢谢！", "此致敬礼", "期待您的回复。"],
        "reply": "回复：", "fwd": "转发：",
        "wrote": "{date}，Support Team 写道：",
    },
}
LANG_WEIGHTS = [("en", 45), ("de", 18), ("fr", 12), ("ru", 9), ("ja", 8), ("zh", 8)]
EMOJI = ["🙂", "😟", "🚀", "📦", "💳", "⚠️", "🙏"]

# Kinds of message and their share of the corpus (percent).
KINDS = [
    ("plain", 40),
    ("alternative", 25),
    ("base64", 8),
    ("attachment", 10),
    ("html", 6),
    ("related", 5),
    ("forward", 3),
    ("autoreply", 2),
    ("dsn", 1),
]

MAILERS = ["Mozilla Thunderbird 115.6.0", "Microsoft Outlook 16.0", "Apple Mail (2.3774.300.61)",
           "Roundcube Webmail/1.6.5", "K-9 Mail for Android", "Evolution 3.50.2", None, None]
TZ_OFFSETS = [0, 60, 120, -300, -420, 540, 480, 180, 330, -180]

ATTACHMENTS = [
    ("application/pdf", ["invoice.pdf", "Rechnung_2026.pdf", "contract-signed.pdf", "statement.pdf",
                         "Kündigung.pdf", "facture-déc.pdf"]),
    ("image/png", ["screenshot.png", "error.png", "Bildschirmfoto 2026-01-12.png"]),
    ("image/jpeg", ["photo.jpg", "damaged-package.jpg", "IMG_4711.JPG"]),
    ("application/zip", ["logs.zip", "export.zip"]),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ["orders.xlsx", "Übersicht.xlsx"]),
    ("application/octet-stream", ["debug.bin", "crash.dmp"]),
]


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.boundary_counter = 0
        self.mails = []  # per generated mail: dict(msgid, refs, subject, lang, charset, customer, tag)
        self.customers = self._customers()
        self.clock = datetime.datetime(2026, 1, 5, 7, 30, 0, tzinfo=datetime.timezone.utc)

    # -- helpers -------------------------------------------------------------

    def pick(self, weighted):
        total = sum(w for _, w in weighted)
        x = self.rng.random() * total
        for item, w in weighted:
            x -= w
            if x < 0:
                return item
        return weighted[-1][0]

    def _customers(self):
        rng = self.rng
        out = []
        seen = set()
        for _ in range(400):
            lang = self.pick(LANG_WEIGHTS)
            data = LANGS[lang]
            first, last = rng.choice(data["first"]), rng.choice(data["last"])
            local = ascii_local(first, last, rng)
            while local in seen:
                local = f"{local}{rng.randint(1, 99)}"
            seen.add(local)
            out.append({"lang": lang, "name": f"{first} {last}" if lang in ("en", "de", "fr", "ru") else f"{last}{first}",
                        "addr": f"{local}@example.org"})
        return out

    def boundary(self):
        self.boundary_counter += 1
        return f"----=_Part_{self.boundary_counter:06d}_{self.rng.getrandbits(40):010x}"

    def number(self):
        return str(self.rng.randint(100000, 999999))

    def sentence_block(self, lang, count):
        data = LANGS[lang]
        sents = [self.rng.choice(data["sentences"]).replace("{n}", self.number()) for _ in range(count)]
        joiner = "" if lang in ("ja", "zh") else " "
        paras, cur = [], []
        for s in sents:
            cur.append(s)
            if len(cur) >= self.rng.randint(2, 4):
                paras.append(joiner.join(cur))
                cur = []
        if cur:
            paras.append(joiner.join(cur))
        return paras

    def body_text(self, lang, name, quoted=None):
        data = LANGS[lang]
        lines = [self.rng.choice(data["greet"]), ""]
        for p in self.sentence_block(lang, self.rng.randint(2, 9)):
            lines.extend(wrap(p, 72, lang))
            lines.append("")
        lines += [self.rng.choice(data["close"]), name]
        if self.rng.random() < 0.3:
            lines += ["", "-- ", f"{name}", f"Phone: +49 30 {self.rng.randint(1000000, 9999999)}"]
        if quoted:
            lines += ["", quoted[0]] + ["> " + q if q else ">" for q in quoted[1]]
        return lines

    def html_from_lines(self, lines, charset, lang):
        parts = [f'<!DOCTYPE html><html lang="{lang}"><head><meta http-equiv="Content-Type" '
                 f'content="text/html; charset={charset}"><style>body{{font-family:Arial,sans-serif;'
                 f'font-size:14px;color:#222}} p{{margin:0 0 1em}} .sig{{color:#888}}</style></head><body>']
        para = []
        for line in lines + [""]:
            if line:
                para.append(html_escape(line))
            elif para:
                parts.append('<div dir="ltr"><p>' + "<br>".join(para) + "</p></div>")
                para = []
        if self.rng.random() < 0.3:
            parts.append('<table border="1" cellpadding="4" style="border-collapse:collapse">'
                         "<tr><th>Order</th><th>Date</th><th>Amount</th></tr>"
                         + "".join(f"<tr><td>{self.number()}</td><td>2026-01-{self.rng.randint(1, 28):02d}"
                                   f"</td><td>{self.rng.randint(5, 900)}.{self.rng.randint(0, 99):02d}</td></tr>"
                                   for _ in range(self.rng.randint(1, 6)))
                         + "</table>")
        parts.append("</body></html>")
        return "".join(parts)

    def next_date(self):
        self.clock += datetime.timedelta(seconds=self.rng.randint(20, 1800))
        off = datetime.timezone(datetime.timedelta(minutes=self.rng.choice(TZ_OFFSETS)))
        d = self.clock.astimezone(off)
        return d

    # -- headers ---------------------------------------------------------------

    def subject_for(self, lang, charset):
        data = LANGS[lang]
        s = self.rng.choice(data["subjects"]).replace("{n}", self.number())
        if charset == "utf-8" and self.rng.random() < 0.15:
            s = s + " " + self.rng.choice(EMOJI)
        return s

    def encode_header_text(self, text, charset):
        """RFC 2047 encoded words when needed, otherwise the text itself."""
        if is_ascii(text):
            return text
        cs = charset if can_encode(text, charset) else "utf-8"
        mode = self.rng.choice("BQ") if cs != "shift_jis" else "B"
        # Most mailers leave a leading ASCII part such as "Re: [TKT-123456] " unencoded.
        first = next(i for i, c in enumerate(text) if ord(c) >= 128)
        cut = text.rfind(" ", 0, first) + 1
        if cut > 0 and self.rng.random() < 0.7:
            return text[:cut] + encode_words(text[cut:], cs, mode)
        return encode_words(text, cs, mode)

    def address(self, name, addr, charset):
        if not name:
            return addr
        if is_ascii(name):
            if re.search(r"[^A-Za-z0-9 !#$%&'*+/=?^_`{|}~-]", name):
                return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '" <' + addr + ">"
            return f"{name} <{addr}>"
        return f"{self.encode_header_text(name, charset)} <{addr}>"

    # -- one message -------------------------------------------------------------

    def generate(self, index):
        rng = self.rng
        kind = self.pick(KINDS)
        parent = None
        if self.mails and kind not in ("autoreply", "dsn") and rng.random() < 0.22:
            lo = max(0, len(self.mails) - 300)
            parent = self.mails[rng.randrange(lo, len(self.mails))]
        if parent:
            customer = parent["customer"]
        else:
            customer = rng.choice(self.customers)
        lang = customer["lang"]
        charset = self.pick(LANGS[lang]["charsets"])
        date = self.next_date()
        msgid = f"<{date.strftime('%Y%m%d%H%M%S')}.{index:06d}.{rng.getrandbits(32):08x}@{msgid_host(customer['addr'], rng)}>"

        tag = None
        if parent:
            base_subject = parent["base_subject"]
            tag = parent["tag"]
            if tag is None and rng.random() < 0.35:
                tag = f"TKT-{rng.randint(100000, 999999)}"
            prefix = LANGS[lang]["reply"]
            subject = f"{prefix}{'[' + tag + '] ' if tag else ''}{base_subject}"
        else:
            base_subject = self.subject_for(lang, charset)
            if rng.random() < 0.12:
                tag = f"TKT-{rng.randint(100000, 999999)}"
            subject = f"[{tag}] {base_subject}" if tag else base_subject
            if kind == "forward":
                subject = LANGS[lang]["fwd"] + subject

        headers = []
        hops = rng.randint(1, 2)
        for h in range(hops):
            hd = (date + datetime.timedelta(seconds=hops - h)).strftime("%a, %d %b %Y %H:%M:%S %z")
            headers.append(("Received", f"from mail{rng.randint(1, 9)}.example.org (mail{rng.randint(1, 9)}.example.org "
                                        f"[192.0.2.{rng.randint(1, 254)}])\r\n\tby mx{h + 1}.example.test with ESMTPS id "
                                        f"{rng.getrandbits(40):010X}\r\n\tfor <support@example.test>; {hd}"))
        headers.append(("Date", date.strftime("%a, %d %b %Y %H:%M:%S %z")))
        if kind == "dsn":
            headers.append(("From", "Mail Delivery System <MAILER-DAEMON@mail.example.org>"))
        else:
            headers.append(("From", self.address(customer["name"], customer["addr"], charset)))
        headers.append(("To", "Support <support@example.test>" if rng.random() < 0.7 else "support@example.test"))
        if rng.random() < 0.06:
            other = rng.choice(self.customers)
            headers.append(("Cc", self.address(other["name"], other["addr"], charset)))
        if kind == "dsn":
            subject = "Undelivered Mail Returned to Sender"
        elif kind == "autoreply":
            subject = {"de": "Abwesenheitsnotiz: ", "fr": "Réponse automatique : "}.get(lang, "Out of Office: ") + base_subject
        headers.append(("Subject", self.encode_header_text(subject, charset)))
        headers.append(("Message-ID", msgid))
        refs = []
        if parent:
            refs = (parent["refs"] + [parent["msgid"]])[-10:]
            headers.append(("In-Reply-To", parent["msgid"]))
            headers.append(("References", fold_list(refs)))
        if rng.random() < 0.1:
            headers.append(("Reply-To", customer["addr"]))
        mailer = rng.choice(MAILERS)
        if mailer:
            headers.append(("X-Mailer" if rng.random() < 0.5 else "User-Agent", mailer))
        if kind == "autoreply":
            headers.append(("Auto-Submitted", "auto-replied"))
            headers.append(("X-Autoreply", "yes"))
        elif kind == "dsn":
            headers.append(("Auto-Submitted", "auto-replied"))
        if rng.random() < 0.05:
            headers.append(("Importance", "high"))
            headers.append(("X-Priority", "1 (Highest)"))
        headers.append(("MIME-Version", "1.0"))

        quoted = None
        if parent:
            qdate = date - datetime.timedelta(hours=rng.randint(1, 48))
            quoted = (LANGS[lang]["wrote"].replace("{date}", qdate.strftime("%a, %d %b %Y %H:%M")),
                      [q for q in self.body_text(lang, "Support Team")[:8]])

        body_headers, body = self.build_body(kind, lang, charset, customer, quoted, parent)
        headers.extend(body_headers)

        out = []
        for name, value in headers:
            out.append(f"{name}: {value}".encode("ascii"))
        data = CRLF.encode().join(out) + (CRLF + CRLF).encode() + body
        if not data.endswith(b"\r\n"):
            data += b"\r\n"

        self.mails.append({"msgid": msgid, "refs": refs, "base_subject": base_subject, "tag": tag,
                           "customer": customer})
        return data

    # -- bodies ----------------------------------------------------------------

    def text_part(self, lines, charset, cte=None, subtype="plain", flowed=False):
        text = CRLF.join(lines) + CRLF
        raw = text.encode(charset) if can_encode(text, charset) else None
        if raw is None:
            charset = "utf-8"
            raw = text.encode(charset)
        if cte is None:
            if is_ascii_bytes(raw) and max_line(raw) <= 998:
                cte = "7bit"
            else:
                cte = self.pick([("quoted-printable", 5), ("8bit", 3), ("base64", 2)])
                if charset == "us-ascii":
                    charset = "utf-8"
        if cte == "8bit" and max_line(raw) > 998:
            cte = "quoted-printable"
        ctype = f"text/{subtype}; charset={charset}" if self.rng.random() < 0.5 else f'text/{subtype}; charset="{charset}"'
        if flowed and subtype == "plain":
            ctype += "; format=flowed"
        hdrs = [("Content-Type", ctype), ("Content-Transfer-Encoding", cte)]
        return hdrs, encode_body(raw, cte)

    def build_body(self, kind, lang, charset, customer, quoted, parent):
        rng = self.rng
        lines = self.body_text(lang, customer["name"], quoted)
        if kind == "plain":
            return self.text_part(lines, charset, flowed=rng.random() < 0.15)
        if kind == "base64":
            return self.text_part(lines, charset, cte="base64")
        if kind == "html":
            html = self.html_from_lines(lines, charset, lang)
            return self.text_part([html], charset, cte=rng.choice(["quoted-printable", "base64"]), subtype="html")
        if kind == "autoreply":
            data = LANGS[lang]
            auto = [rng.choice(data["greet"]), "",
                    "I am out of the office until 2026-02-02 with limited access to e-mail.",
                    "For urgent matters please contact my colleague.", "",
                    rng.choice(data["close"]), customer["name"]]
            return self.text_part(auto, charset)
        if kind == "alternative":
            return self.multipart("alternative", [self.text_part(lines, charset, cte="quoted-printable"),
                                                  self.text_part([self.html_from_lines(lines, charset, lang)], charset,
                                                                 cte="quoted-printable", subtype="html")])
        if kind == "related":
            cid = f"img{rng.getrandbits(48):012x}@example.org"
            html = self.html_from_lines(lines, charset, lang).replace(
                "</body>", f'<p><img src="cid:{cid}" alt="logo" width="120" height="40"></p></body>')
            alt = self.multipart("alternative", [self.text_part(lines, charset, cte="quoted-printable"),
                                                 self.text_part([html], charset, cte="quoted-printable",
                                                                subtype="html")])
            img = self.binary_part("image/png", "logo.png", rng.randint(2000, 12000), inline=True, cid=cid)
            return self.multipart("related", [alt, img], extra='; type="multipart/alternative"')
        if kind == "attachment":
            if rng.random() < 0.5:
                first = self.text_part(lines, charset)
            else:
                first = self.multipart("alternative", [
                    self.text_part(lines, charset, cte="quoted-printable"),
                    self.text_part([self.html_from_lines(lines, charset, lang)], charset, cte="quoted-printable",
                                   subtype="html")])
            parts = [first]
            for _ in range(1 if rng.random() < 0.75 else rng.randint(2, 3)):
                ctype, names = rng.choice(ATTACHMENTS)
                size = int(round(5000 * (60 ** rng.random())))  # log-uniform 5 KB .. 300 KB
                parts.append(self.binary_part(ctype, rng.choice(names), size))
            if rng.random() < 0.2:
                csv = ["order;date;amount"] + [f"{self.number()};2026-01-{rng.randint(1, 28):02d};{rng.randint(1, 999)}.00"
                                               for _ in range(rng.randint(3, 40))]
                h, b = self.text_part(csv, "utf-8", cte="quoted-printable", subtype="csv")
                h.append(("Content-Disposition", 'attachment; filename="orders.csv"'))
                parts.append((h, b))
            return self.multipart("mixed", parts)
        if kind == "forward":
            inner_lang = rng.choice([l for l, _ in LANG_WEIGHTS])
            inner_cs = self.pick(LANGS[inner_lang]["charsets"])
            inner_date = (self.clock - datetime.timedelta(days=rng.randint(1, 30))).strftime("%a, %d %b %Y %H:%M:%S %z")
            ih, ib = self.text_part(self.body_text(inner_lang, "Shop"), inner_cs)
            inner = [("From", "Shop Notifications <noreply@shop.example.net>"),
                     ("To", self.address(customer["name"], customer["addr"], charset)),
                     ("Subject", self.encode_header_text(self.subject_for(inner_lang, inner_cs), inner_cs)),
                     ("Date", inner_date),
                     ("Message-ID", f"<fwd.{rng.getrandbits(64):016x}@shop.example.net>"),
                     ("MIME-Version", "1.0")] + ih
            inner_bytes = CRLF.encode().join(f"{k}: {v}".encode("ascii") for k, v in inner) + b"\r\n\r\n" + ib
            note = self.text_part([LANGS[lang]["greet"][0], "", "see the forwarded message below.", "",
                                   customer["name"]], charset)
            fwd = ([("Content-Type", "message/rfc822"), ("Content-Disposition", "inline")], inner_bytes)
            return self.multipart("mixed", [note, fwd])
        if kind == "dsn":
            rcpt = rng.choice(self.customers)["addr"]
            human = ["This is the mail system at host mail.example.org.", "",
                     "I'm sorry to have to inform you that your message could not",
                     "be delivered to one or more recipients.", "",
                     f"<{rcpt}>: host mx.example.org[192.0.2.25] said: 550 5.1.1",
                     "    User unknown (in reply to RCPT TO command)"]
            status = ("Reporting-MTA: dns; mail.example.org\r\n\r\n"
                      f"Final-Recipient: rfc822; {rcpt}\r\nAction: failed\r\nStatus: 5.1.1\r\n"
                      "Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n").encode()
            orig = (f"From: Support <support@example.test>\r\nTo: {rcpt}\r\nSubject: Your ticket\r\n"
                    f"Message-ID: <orig.{rng.getrandbits(64):016x}@example.test>\r\n").encode()
            return self.multipart("report", [
                self.text_part(human, "us-ascii"),
                ([("Content-Type", "message/delivery-status")], status),
                ([("Content-Type", "text/rfc822-headers")], orig),
            ], extra="; report-type=delivery-status")
        raise ValueError(kind)

    def binary_part(self, ctype, filename, size, inline=False, cid=None):
        rng = self.rng
        payload = bytearray()
        if ctype == "application/pdf":
            payload += b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            payload += b"2 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n" % size
        elif ctype == "image/png":
            payload += b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
        elif ctype == "image/jpeg":
            payload += b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
        elif ctype in ("application/zip",) or "openxmlformats" in ctype:
            payload += b"PK\x03\x04\x14\x00\x06\x00"
        payload += rng.randbytes(max(0, size - len(payload) - 16))
        if ctype == "application/pdf":
            payload += b"\nendstream\n%%EOF\n"
        payload = bytes(payload)
        disp = "inline" if inline else "attachment"
        name_param = filename_params(filename)
        hdrs = [("Content-Type", f"{ctype}; {name_param[0]}"),
                ("Content-Disposition", f"{disp}; {name_param[1]}"),
                ("Content-Transfer-Encoding", "base64")]
        if cid:
            hdrs.append(("Content-ID", f"<{cid}>"))
        return hdrs, encode_body(payload, "base64")

    def multipart(self, subtype, parts, extra=""):
        b = self.boundary()
        if self.rng.random() < 0.8:
            ctype = f'multipart/{subtype}; boundary="{b}"'
        else:  # unquoted boundaries must be plain tokens
            b = f"b{self.boundary_counter}_{self.rng.getrandbits(64):016x}"
            ctype = f"multipart/{subtype}; boundary={b}"
        chunks = []
        if self.rng.random() < 0.4:
            chunks.append(b"This is a multi-part message in MIME format.\r\n")
        for hdrs, body in parts:
            chunks.append(f"--{b}\r\n".encode())
            chunks.append(CRLF.encode().join(f"{k}: {v}".encode("ascii") for k, v in hdrs) + b"\r\n\r\n")
            chunks.append(body if body.endswith(b"\r\n") else body + b"\r\n")
        chunks.append(f"--{b}--\r\n".encode())
        return [("Content-Type", ctype + extra)], b"".join(chunks)


# ---------------------------------------------------------------------------
# Encoding helpers

def is_ascii(s):
    return all(ord(c) < 128 for c in s)


def is_ascii_bytes(b):
    return not any(x >= 128 for x in b)


def max_line(b):
    return max((len(l) for l in b.split(b"\r\n")), default=0)


def can_encode(text, charset):
    try:
        text.encode(charset)
        return True
    except UnicodeEncodeError:
        return False


def encode_body(raw, cte):
    if cte == "base64":
        return base64.encodebytes(raw).replace(b"\n", b"\r\n")
    if cte == "quoted-printable":
        return binascii.b2a_qp(raw, quotetabs=False, istext=True, header=False)
    return raw


def encode_words(text, charset, mode):
    """Split text into RFC 2047 encoded words short enough for 76-character header lines."""
    prefix = f"=?{charset}?{mode}?"
    words, cur = [], ""

    def enc(s):
        raw = s.encode(charset)
        if mode == "B":
            return base64.b64encode(raw).decode("ascii")
        out = []
        for byte in raw:
            ch = chr(byte)
            if ch == " ":
                out.append("_")
            elif byte < 128 and (ch.isalnum() or ch in "!*+-/"):
                out.append(ch)
            else:
                out.append(f"={byte:02X}")
        return "".join(out)

    for ch in text:
        if cur and len(prefix) + len(enc(cur + ch)) + 2 > 66:
            words.append(f"{prefix}{enc(cur)}?=")
            cur = ""
        cur += ch
    if cur:
        words.append(f"{prefix}{enc(cur)}?=")
    return "\r\n ".join(words)


def fold_list(ids):
    out, line = [], ""
    for i in ids:
        if line and len(line) + len(i) + 1 > 76:
            out.append(line)
            line = i
        else:
            line = f"{line} {i}" if line else i
    out.append(line)
    return "\r\n ".join(out)


def filename_params(filename):
    if is_ascii(filename):
        return f'name="{filename}"', f'filename="{filename}"'
    quoted = "".join(c if (c.isascii() and (c.isalnum() or c in "-._~")) else
                     "".join(f"%{b:02X}" for b in c.encode("utf-8")) for c in filename)
    enc_name = encode_words(filename, "utf-8", "B")
    return f'name="{enc_name}"', f"filename*=utf-8''{quoted}"


def html_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "è": "e", "ê": "e",
                          "ë": "e", "ç": "c", "à": "a", "ô": "o", "î": "i", "ï": "i", "â": "a",
                          "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "É": "E"})


def ascii_local(first, last, rng):
    a, b = first.translate(TRANSLIT).lower(), last.translate(TRANSLIT).lower()
    a = re.sub(r"[^a-z]", "", a)
    b = re.sub(r"[^a-z]", "", b)
    if not a or not b:
        return f"customer{rng.randint(1000, 9999)}"
    return rng.choice([f"{a}.{b}", f"{a[0]}{b}", f"{a}_{b}", f"{b}.{a}"])


def msgid_host(addr, rng):
    return rng.choice(["mail.example.org", "example.org", "mx.example.org", "smtp.example.org"])


def wrap(text, width, lang):
    if lang in ("ja", "zh"):
        w = width // 2
        return [text[i:i + w] for i in range(0, len(text), w)] or [""]
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return lines


def main():
    ap = argparse.ArgumentParser(description="Generate a deterministic corpus of helpdesk mails.")
    ap.add_argument("outdir")
    ap.add_argument("--count", type=int, default=DEFAULT_COUNT)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = ap.parse_args()
    if args.count < 1:
        ap.error("--count must be positive")

    start = time.perf_counter()
    os.makedirs(args.outdir, exist_ok=True)
    for name in os.listdir(args.outdir):
        if re.fullmatch(r"\d{6,}\.eml", name):
            os.remove(os.path.join(args.outdir, name))
    gen = Generator(args.seed)
    width = max(6, len(str(args.count)))
    total = 0
    for i in range(1, args.count + 1):
        data = gen.generate(i)
        with open(os.path.join(args.outdir, f"{i:0{width}d}.eml"), "wb") as f:
            f.write(data)
        total += len(data)
    elapsed = time.perf_counter() - start
    print(f"generated {args.count} mails, {total} bytes ({total / 1e6:.1f} MB) in {args.outdir} "
          f"(seed {args.seed}, {elapsed:.2f}s)")


if __name__ == "__main__":
    main()
