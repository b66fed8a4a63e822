"""The customer web portal end to end: a real headless Chromium against the real daemon, which takes
mail from the real Postfix/Dovecot and keeps its tickets in real SQLite.

The customer writes by mail, asks the portal for a sign-in link, reads it from their Dovecot mailbox
over IMAP, signs in, filters and searches their tickets, replies, opens a ticket, rates a resolved one
(in the portal and by the one-click link of the resolution mail) and signs out. Each page is saved as
a screenshot at phone and desktop widths (browser.screenshot).
"""
import email.utils
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By

from browser import (DESKTOP, PHONE, console_errors, fill, horizontal_overflow, screenshot, set_width, submit,
                     text)
from conftest import wait_for

CUSTOMER = "customer@example.test"
AGENT = "agent@example.test"

INVOICE = ("Invoice 4471 was charged twice",
           "Hello,\n\nmy card was charged twice for invoice 4471 this month.\nCould you refund one of them?\n\nCarol")
PASSWORD = ("Cannot reset my password",
            "Hi,\n\nthe password reset mail never arrives, I tried three times since this morning.\n\nCarol")
PRINTER = ("Printer on the second floor is jammed",
           "Hello,\n\nthe printer on the second floor shows a paper jam and prints nothing.\n\nCarol")

NOTE = "INTERNAL ONLY: customer is on the legacy plan, check with billing before refunding"
RESOLUTION = "We cleared the paper jam and replaced the worn feed roller."
REPLY = "Here is the second charge: it is dated the 3rd, reference 4471-B. Thank you!"
NEW_SUBJECT = "CSV export drops the last column"
NEW_MESSAGE = "When I export my orders to CSV, the last column (the total) is missing in every row."
RATING_COMMENT = "Quick and friendly, thank you."


# Mail ----------------------------------------------------------------------------------------------

def _text(message):
    part = message.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else ""


class Inbox:
    """One user's mailbox, waited on for a mail that matches, each mail handed out once."""

    def __init__(self, user_mailbox):
        self.box = user_mailbox
        self.taken = set()

    def wait(self, match, what, timeout=90):
        def found():
            for uid, message in self.box.messages():
                if uid not in self.taken and match(message):
                    self.taken.add(uid)
                    return message
            return None

        return wait_for(found, timeout=timeout, interval=0.5, what=f"{what} in the mailbox of {self.box.user}")


def _open_by_mail(instance, mailbox, subject, body):
    """A customer's mail through Postfix; returns its ticket's reference once the daemon took it in."""
    mailbox.swaks(sender=CUSTOMER, subject=subject, body=body)
    wait_for(lambda: instance.scalar("SELECT ref FROM ticket WHERE subject = ?", subject), timeout=60,
             what=f"the ticket {subject!r}")
    return instance.scalar("SELECT ref FROM ticket WHERE subject = ?", subject)


def _show(instance, ref):
    return json.loads(instance.postdesk("ticket", "show", ref, "--json").stdout)


# Browser -------------------------------------------------------------------------------------------

class Visit:
    """The browser on the daemon's portal: pages, screenshots, width checks and the console's errors."""

    def __init__(self, driver, base):
        self.driver = driver
        self.base = base
        self.console = []
        self.overflow = {}  # page name -> how many px wider than a 360 px phone

    def url(self, path):
        return self.base + path

    def get(self, path_or_url):
        self.driver.get(path_or_url if path_or_url.startswith("http") else self.url(path_or_url))
        self.collect()

    def path(self):
        parts = urlsplit(self.driver.current_url)
        return parts.path + ("?" + parts.query if parts.query else "")

    def page_text(self):
        try:
            return text(self.driver)
        except WebDriverException:  # the page is being replaced
            return ""

    def wait_text(self, snippet, timeout=20):
        wait_for(lambda: snippet in self.page_text(), timeout=timeout,
                 what=f"{snippet!r} on {self.driver.current_url}")
        self.collect()

    def wait_path(self, predicate, what, timeout=20):
        wait_for(lambda: predicate(urlsplit(self.driver.current_url)), timeout=timeout,
                 what=f"{what} (at {self.driver.current_url})")
        self.collect()

    def click_link(self, label):
        self.driver.find_element(By.LINK_TEXT, label).click()

    def collect(self):
        self.console += console_errors(self.driver)

    def shoot(self, name):
        """Screenshots at phone and desktop widths, and measures the horizontal scroll at 360 px."""
        set_width(self.driver, *PHONE)
        self.overflow[name] = horizontal_overflow(self.driver)
        width = self.driver.execute_script("return document.documentElement.scrollWidth")
        screenshot(self.driver, name)
        set_width(self.driver, *DESKTOP)
        self.collect()
        return width

    def assert_fits_a_phone(self, name):
        set_width(self.driver, *PHONE)
        try:
            width = self.driver.execute_script("return document.documentElement.scrollWidth")
            assert width <= PHONE[0], f"{name}: the page is {width} px wide at a {PHONE[0]} px viewport"
        finally:
            set_width(self.driver, *DESKTOP)

    def listed(self):
        """The references of the tickets the list shows."""
        return [element.text for element in self.driver.find_elements(By.CSS_SELECTOR, ".tickets .ticket .ref")]

    def field_error(self, name):
        """The error shown with the form field `name` (its `#f-NAME-error`), checked to sit in the field's
        own block right after the control, with the control marked invalid."""
        control = self.driver.find_element(By.NAME, name)
        assert control.get_attribute("aria-invalid") == "true", f"{name} is not marked invalid"
        assert control.get_attribute("aria-describedby") == f"f-{name}-error"
        block = control.find_element(By.XPATH, "./ancestor::div[contains(@class, 'field')][1]")
        assert "has-error" in block.get_attribute("class")
        error = block.find_element(By.ID, f"f-{name}-error")
        assert error.is_displayed()
        # Next to the field: directly below the control.
        assert error.location["y"] >= control.location["y"] + control.size["height"] - 1
        assert error.location["y"] - (control.location["y"] + control.size["height"]) < 40
        return error.text


def _csp_line(entry):
    message = entry["message"].lower()
    return "content security policy" in message or "refused to" in message


def _favicon_line(entry):
    """The console line of the layout's `<link rel="icon" href="data:,">` (or of a favicon request)."""
    message = entry["message"]
    return "favicon" in message.lower() or ("'data:,'" in message and "img-src" in message)


# The journey ---------------------------------------------------------------------------------------

def test_customer_journey_through_the_portal(desk, mailbox, browser):
    instance = desk()
    base = instance.portal_ready()
    assert base == instance.portal_url and not base.endswith(":8080")
    customer = Inbox(mailbox.user_mailbox(CUSTOMER))
    agent = Inbox(mailbox.user_mailbox(AGENT))

    # The customer writes three mails: three tickets, three confirmations.
    invoice = _open_by_mail(instance, mailbox, *INVOICE)
    password = _open_by_mail(instance, mailbox, *PASSWORD)
    printer = _open_by_mail(instance, mailbox, *PRINTER)
    assert len({invoice, password, printer}) == 3
    for ref in (invoice, password, printer):
        customer.wait(lambda m, ref=ref: f"[{ref}]" in str(m["Subject"]) and "received your request" in _text(m),
                      what=f"the confirmation of {ref}")
    # An agent keeps an internal note on one and resolves another.
    instance.postdesk("ticket", "note", invoice, NOTE)
    instance.postdesk("ticket", "resolve", printer, RESOLUTION)
    assert _show(instance, printer)["ticket"]["status"] == "resolved"
    resolution = customer.wait(lambda m: f"[{printer}]" in str(m["Subject"]) and "has been resolved" in _text(m),
                               what="the resolution notice")
    rating_links = dict((int(score), url) for url, score in
                        re.findall(r"(http://\S+/portal/t/[A-Za-z0-9_-]+/rate/([1-5]))", _text(resolution)))
    assert sorted(rating_links) == [1, 2, 3, 4, 5], _text(resolution)
    assert all(url.startswith(base + "/portal/t/") for url in rating_links.values()), "links use portal_url"

    visit = Visit(browser, base)
    visit.get("/portal")
    browser.delete_all_cookies()
    console_errors(browser)  # start with an empty console

    # Sign-in page; a malformed address is refused next to the field, keeping what was typed.
    visit.get("/portal")
    assert visit.path() == "/portal"
    assert "Email me a sign-in link" in visit.page_text()
    visit.shoot("sign-in")
    fill(browser, "email", "carol at example")
    submit(browser, "Email me a sign-in link")
    visit.wait_text("Enter an email address")
    assert "Enter an email address" in visit.field_error("email")
    assert browser.find_element(By.NAME, "email").get_attribute("value") == "carol at example"
    visit.shoot("sign-in-error")

    # Ask for a link: the page says to check the mail, and the link arrives by mail.
    fill(browser, "email", CUSTOMER)
    submit(browser, "Email me a sign-in link")
    visit.wait_text("Check your email")
    assert CUSTOMER in visit.page_text()
    visit.shoot("check-email")
    magic = customer.wait(lambda m: "sign-in link" in str(m["Subject"]).lower(), what="the sign-in link")
    assert email.utils.parseaddr(str(magic["From"]))[1] == mailbox.support_user
    found = re.search(r"(http://\S+/portal/login/([A-Za-z0-9_-]+))", _text(magic))
    assert found, _text(magic)
    link, token = found.groups()
    assert link.startswith(base + "/portal/login/"), f"the link {link} does not point at this daemon's portal"

    # The link's page only asks to continue: opening it (as a mail scanner would) signs nobody in.
    visit.get(link)
    visit.wait_text("Welcome back")
    assert f"Continue as {CUSTOMER}" in visit.page_text()
    assert browser.get_cookie("pd_session") is None, "opening the link started a session"
    assert instance.scalar("SELECT COUNT(*) FROM portalSession") == 0
    assert instance.scalar("SELECT COUNT(*) FROM event WHERE action = 'portal.sign-in'") == 0
    visit.shoot("landing")
    visit.get("/portal/tickets")
    visit.wait_path(lambda u: u.path == "/portal", "the list sends a visitor without a session to sign in")
    visit.get(link)  # the landing page did not spend the link
    visit.wait_text("Welcome back")
    submit(browser, "Continue")
    visit.wait_path(lambda u: u.path == "/portal/tickets", "the ticket list after Continue")
    assert token not in browser.current_url and "/login/" not in browser.current_url, browser.current_url
    assert browser.get_cookie("pd_session") is not None
    assert instance.scalar("SELECT COUNT(*) FROM event WHERE action = 'portal.sign-in'") == 1

    # The list: all three tickets, newest first; the tabs filter.
    visit.wait_text("My tickets")
    assert sorted(visit.listed()) == sorted([invoice, password, printer])
    page = visit.page_text()
    for subject, _ in (INVOICE, PASSWORD, PRINTER):
        assert subject in page
    assert "3 tickets" in page
    visit.shoot("list")
    visit.assert_fits_a_phone("list")

    visit.click_link("Open")
    visit.wait_path(lambda u: parse_qs(u.query).get("tab") == ["open"], "the Open tab")
    assert sorted(visit.listed()) == sorted([invoice, password])
    assert browser.find_element(By.LINK_TEXT, "Open").get_attribute("aria-current") == "page"
    visit.shoot("list-open")
    visit.click_link("Resolved")
    visit.wait_path(lambda u: parse_qs(u.query).get("tab") == ["resolved"], "the Resolved tab")
    assert visit.listed() == [printer]
    assert "Resolved" in browser.find_element(By.CSS_SELECTOR, ".tickets .status").text
    visit.shoot("list-resolved")
    visit.click_link("All")
    visit.wait_path(lambda u: u.path == "/portal/tickets" and not u.query, "the All tab")
    assert len(visit.listed()) == 3

    # Search by a word of the subject (any case), then by reference.
    fill(browser, "q", "invoice")
    submit(browser, "Search")
    visit.wait_path(lambda u: parse_qs(u.query).get("q") == ["invoice"], "the subject search")
    assert visit.listed() == [invoice]
    assert browser.find_element(By.NAME, "q").get_attribute("value") == "invoice", "the search box keeps the words"
    visit.shoot("search")
    fill(browser, "q", password.lower())
    submit(browser, "Search")
    visit.wait_path(lambda u: parse_qs(u.query).get("q") == [password.lower()], "the reference search")
    assert visit.listed() == [password]
    visit.shoot("search-ref")
    fill(browser, "q", "no such words here")
    submit(browser, "Search")
    visit.wait_text("No ticket matches")
    assert visit.listed() == []

    # The detail: the customer's mail, no internal note.
    visit.get("/portal/tickets")
    visit.click_link(INVOICE[0])
    visit.wait_path(lambda u: u.path == f"/portal/tickets/{invoice}", "the ticket page")
    page = visit.page_text()
    assert invoice in page and INVOICE[0] in page
    assert "my card was charged twice for invoice 4471" in page
    assert "INTERNAL ONLY" not in page and "legacy plan" not in page, "the internal note is shown to the customer"
    assert "legacy plan" not in browser.page_source
    assert any(m["message"]["visibility"] == "internal" and "legacy plan" in m["message"]["text"]
               for m in _show(instance, invoice)["messages"]), "the note is on the ticket for agents"
    visit.shoot("detail")
    visit.assert_fits_a_phone("detail")

    # A reply of only spaces is refused next to the field (the textarea's `required` lets spaces through).
    fill(browser, "text", "   ")
    submit(browser, "Send reply")
    visit.wait_text("Write your message first.")
    assert visit.field_error("text") == "Write your message first."
    assert visit.path() == f"/portal/tickets/{invoice}/reply"
    visit.shoot("reply-error")
    assert "legacy plan" not in browser.page_source, "the refused form's page shows the internal note"

    # A reply from the browser lands on the ticket, as a customer's mail would, and the team hears of it.
    fill(browser, "text", REPLY)
    submit(browser, "Send reply")
    visit.wait_text("Your reply was added.")
    assert visit.path() == f"/portal/tickets/{invoice}?sent=1"
    assert REPLY in visit.page_text()
    visit.shoot("reply-sent")
    wait_for(lambda: any(m["message"]["kind"] == "customer" and REPLY in m["message"]["visibleText"]
                         for m in _show(instance, invoice)["messages"]),
             timeout=30, what="the reply on the ticket (postdesk ticket show)")
    shown = _show(instance, invoice)
    customer_messages = [m["message"] for m in shown["messages"] if m["message"]["kind"] == "customer"]
    assert len(customer_messages) == 2 and customer_messages[-1]["authorEmail"] == CUSTOMER
    assert shown["ticket"]["ref"] == invoice and instance.scalar("SELECT COUNT(*) FROM ticket") == 3
    notice = agent.wait(lambda m: f"[{invoice}]" in str(m["Subject"]) and "4471-B" in _text(m),
                        what="the team's notice of the portal reply")
    assert "Thank you!" in _text(notice)
    assert instance.scalar("SELECT COUNT(*) FROM outbox WHERE kind = 'agent-notice' AND context LIKE '%4471-B%'") == 1

    # New ticket: a 2-character subject is refused next to the field, keeping everything typed.
    visit.click_link("New ticket")
    visit.wait_path(lambda u: u.path == "/portal/new", "the new-ticket form")
    visit.shoot("new-ticket")
    fill(browser, "subject", "Hi")
    fill(browser, "message", NEW_MESSAGE)
    submit(browser, "Open ticket")
    visit.wait_text("Please correct the fields marked below.")
    assert visit.field_error("subject") == "The subject needs at least 3 characters."
    assert browser.find_element(By.NAME, "subject").get_attribute("value") == "Hi"
    assert browser.find_element(By.NAME, "message").get_attribute("value") == NEW_MESSAGE
    assert not browser.find_elements(By.ID, "f-message-error"), "the valid message is marked wrong"
    visit.shoot("new-ticket-error")
    assert instance.scalar("SELECT COUNT(*) FROM ticket") == 3

    fill(browser, "subject", NEW_SUBJECT)
    submit(browser, "Open ticket")
    visit.wait_text("Your ticket is open.")
    new_ref = urlsplit(browser.current_url).path.rsplit("/", 1)[1]
    assert re.fullmatch(r"TKT-[0-9A-Z]{6}", new_ref), browser.current_url
    assert NEW_SUBJECT in visit.page_text() and NEW_MESSAGE in visit.page_text()
    visit.shoot("new-ticket-opened")
    assert _show(instance, new_ref)["ticket"]["source"] == "portal"
    confirmation = customer.wait(lambda m: f"[{new_ref}]" in str(m["Subject"]),
                                 what="the confirmation of the portal ticket")
    assert NEW_SUBJECT in str(confirmation["Subject"])
    assert new_ref in _text(confirmation)

    # Rate the resolved ticket in the portal: 4 of 5 with a comment.
    visit.get("/portal/tickets?tab=resolved")
    visit.click_link(PRINTER[0])
    visit.wait_path(lambda u: u.path == f"/portal/tickets/{printer}", "the resolved ticket")
    assert RESOLUTION in visit.page_text()
    browser.find_element(By.CSS_SELECTOR, "input[name=rating][value='4']").click()
    fill(browser, "comment", RATING_COMMENT)
    submit(browser, "Save rating")
    visit.wait_text("Thank you for your rating.")
    assert "You rated this 4 of 5." in visit.page_text()
    visit.shoot("rating")
    shown = instance.postdesk("ticket", "show", printer).stdout
    assert f"rating: 4/5 {RATING_COMMENT}" in shown, shown
    assert instance.scalar("SELECT COUNT(*) FROM event WHERE action = 'ticket.rated'") == 1

    # Sign out: the list then sends the browser to the sign-in page, and the used link stays spent.
    submit(browser, "Sign out")
    visit.wait_text("You are signed out")
    visit.shoot("signed-out")
    assert instance.scalar("SELECT COUNT(*) FROM event WHERE action = 'portal.sign-out'") == 1
    visit.get("/portal/tickets")
    visit.wait_path(lambda u: u.path == "/portal", "the sign-in page after signing out")
    assert "Email me a sign-in link" in visit.page_text()
    visit.get(f"/portal/tickets/{invoice}")
    visit.wait_path(lambda u: u.path == "/portal", "the sign-in page for a ticket after signing out")
    visit.get(link)
    visit.wait_text("This link no longer works")
    assert "already used" in visit.page_text()
    visit.shoot("link-used")

    # The one-click rating link of the resolution mail: a confirmation page with 5 chosen; saving it
    # records the rating and opens that one ticket.
    visit.get(rating_links[5])
    visit.wait_text("Check the rating and press Save rating")
    assert browser.find_element(By.CSS_SELECTOR, "input[name=rating][value='5']").is_selected()
    assert "rating: 4/5" in instance.postdesk("ticket", "show", printer).stdout, "opening the link rated"
    visit.shoot("rating-link")
    submit(browser, "Save rating")
    visit.wait_text("Thank you for your rating.")
    assert visit.path() == f"/portal/tickets/{printer}?rated=1"
    assert "You rated this 5 of 5." in visit.page_text()
    visit.shoot("rated-from-link")
    assert _show(instance, printer)["ticket"]["csatRating"] == 5
    visit.get("/portal/tickets")
    assert visit.listed() == [printer], "a ticket link opens its ticket only"
    assert "only that ticket is shown" in visit.page_text()
    submit(browser, "Sign out")
    visit.wait_text("You are signed out")

    # No page broke the content security policy, or logged any other error (the favicon's own line is
    # left to test_the_favicon_link_keeps_to_the_content_security_policy).
    visit.collect()
    console = [entry for entry in visit.console if not _favicon_line(entry)]
    csp = [entry for entry in console if _csp_line(entry)]
    assert not csp, f"CSP violations in the console: {csp}"
    # Refused forms answer 422 and a spent link 410: Chromium logs those loads, they are expected.
    others = [entry for entry in console if not re.search(r"status of (422|410)", entry["message"])]
    assert not others, f"errors in the browser console: {others}"
    wide = {name: px for name, px in visit.overflow.items() if px > 0}
    assert not wide, f"pages wider than a {PHONE[0]} px phone (px of horizontal scroll): {wide}"
    assert instance.alive(), instance.logs()[-3000:]


def test_a_page_leaves_the_browser_console_clean(daemon, browser):
    instance = daemon().start()
    instance.portal_ready()
    console_errors(browser)
    browser.get(instance.portal_url + "/portal")
    wait_for(lambda: "Email me a sign-in link" in text(browser), what="the sign-in page")
    errors = console_errors(browser, ignore=())
    assert not errors, f"console errors on the sign-in page (CSP violations, a missing icon): {errors}"
