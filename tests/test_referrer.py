"""Who referred the writer, whether the subject names them, and subjects that do."""

from __future__ import annotations

import pytest

from intro_coach.analyzer import Context, analyze
from intro_coach.referrer import (
    MAX_SUBJECT,
    Person,
    find_referrer,
    parse_person,
    referrer_subjects,
    subject_names,
)
from intro_coach.schema import AnalyzeRequest, AnalyzeResponse

RULE = "referrer-not-in-subject"
RECIPIENT = frozenset({"jordan", "jordan lee"})

FOUND = [
    ("Sally Smith suggested I contact you.", "Sally Smith"),
    ("Sally Smith suggested I reach out.", "Sally Smith"),
    ("Sally Smith suggested that I get in touch with you.", "Sally Smith"),
    ("Sally Smith suggested I get in touch.", "Sally Smith"),
    ("Sally Smith referred me to you.", "Sally Smith"),
    ("I was referred to you by Sally Smith.", "Sally Smith"),
    ("Sally Smith gave me your name.", "Sally Smith"),
    ("Sally Smith gave me your email.", "Sally Smith"),
    ("Sally Smith passed along your name.", "Sally Smith"),
    ("Sally Smith passed along your email address.", "Sally Smith"),
    ("Sally Smith kindly passed on your details.", "Sally Smith"),
    ("Sally Smith shared your email with me.", "Sally Smith"),
    ("I got your name from Sally Smith.", "Sally Smith"),
    ("I got your email from Sally Smith.", "Sally Smith"),
    ("I got your contact info from Sally Smith.", "Sally Smith"),
    ("I was given your name by Sally Smith.", "Sally Smith"),
    ("I'm writing at the suggestion of Sally Smith.", "Sally Smith"),
    ("I'm writing on the recommendation of Sally Smith.", "Sally Smith"),
    ("I'm writing at Sally Smith's suggestion.", "Sally Smith"),
    ("At Sally Smith’s suggestion, I'm writing to you.", "Sally Smith"),
    ("Sally Smith recommended I reach out to you.", "Sally Smith"),
    ("Sally Smith recommended that I talk to you.", "Sally Smith"),
    ("Sally Smith mentioned you might be open to a chat.", "Sally Smith"),
    ("Sally Smith mentioned that you work on climate.", "Sally Smith"),
    ("Sally Smith thought you'd be a great person to talk to.", "Sally Smith"),
    ("Sally Smith thought you’d be a great person to talk to.", "Sally Smith"),
    ("Sally Smith thought you would be a great person to talk to.", "Sally Smith"),
    ("Sally Smith put me in touch with you.", "Sally Smith"),
    ("Sally Smith encouraged me to reach out.", "Sally Smith"),
    ("Sally Smith spoke highly of you.", "Sally Smith"),
    ("My former manager Sally Smith suggested I write to you.", "Sally Smith"),
    ("My former manager, Sally Smith, suggested I write to you.", "Sally Smith"),
    ("Priya Patel, my thesis adviser, recommended I reach out.", "Priya Patel"),
    ("Chloé Zhao, who I worked with at Pixar, suggested I reach out.", "Chloé Zhao"),
    ("Our mutual friend Sally Smith said you'd be happy to chat.", "Sally Smith"),
    ("A mutual friend, Sally Smith, said I should reach out.", "Sally Smith"),
    ("My friend Sally Smith suggested I reach out.", "Sally Smith"),
    ("Sally Smith from Acme suggested I reach out.", "Sally Smith"),
    ("Yesterday Sally Smith suggested I contact you.", "Sally Smith"),
    ("Hi Jordan, Sally Smith suggested I contact you.", "Sally Smith"),
    ("Last week at the conference, Sally Smith suggested I contact you.", "Sally Smith"),
    ("Sally suggested I contact you.", "Sally"),
    # Names as people write them.
    ("José Álvarez suggested I contact you.", "José Álvarez"),
    ("Zoë Saldaña suggested I contact you.", "Zoë Saldaña"),
    ("Siobhán O'Brien suggested I contact you.", "Siobhán O'Brien"),
    ("Siobhán O’Brien suggested I contact you.", "Siobhán O’Brien"),
    ("D'Angelo Russell suggested I contact you.", "D'Angelo Russell"),
    ("Mary-Kate Lee suggested I contact you.", "Mary-Kate Lee"),
    ("Jean-Luc Picard referred me to you.", "Jean-Luc Picard"),
    ("Ludwig van Beethoven suggested I contact you.", "Ludwig van Beethoven"),
    ("María de la Cruz suggested I contact you.", "María de la Cruz"),
    ("Ngozi Okonjo-Iweala suggested I contact you.", "Ngozi Okonjo-Iweala"),
    ("Xi Jinping suggested I contact you.", "Xi Jinping"),
    # Titles are dropped from the name.
    ("Dr. Priya Patel suggested I contact you.", "Priya Patel"),
    ("Prof. Alan Turing suggested I contact you.", "Alan Turing"),
    ("Ms. Sally Smith suggested I contact you.", "Sally Smith"),
    ("Professor Ada Lovelace suggested I contact you.", "Ada Lovelace"),
    ("I was referred to you by Dr. Priya Patel.", "Priya Patel"),
    ("My colleague Dr. Priya Patel suggested I reach out.", "Priya Patel"),
]

NOT_PEOPLE = [
    "LinkedIn suggested I contact you.",
    "Your article suggested I contact you.",
    "I found your name on LinkedIn.",
    "Google suggested I reach out.",
    "I got your name from the alumni directory.",
    "I got your name from LinkedIn.",
    # Hearing of their work from someone is a mention, not a referral.
    "I heard about your work from Jordan Smith at the Berlin festival.",
    "My professor suggested I contact you.",
    "I was referred to you by the career center.",
    "The Career Center suggested I reach out.",
    "Harvard Business School suggested I reach out.",
    "SALLY SMITH suggested I contact you.",
    "Jordan suggested I contact you.",
    "Jordan Lee suggested I contact you.",
    "I read your post about UX research and loved it.",
    "",
]


@pytest.mark.parametrize(("text", "name"), FOUND)
def test_find_referrer(text: str, name: str) -> None:
    person = find_referrer(text, exclude=RECIPIENT)
    assert person is not None, text
    assert person.name == name
    assert text[person.start : person.end] == name


@pytest.mark.parametrize("text", NOT_PEOPLE)
def test_not_a_referrer(text: str) -> None:
    assert find_referrer(text, exclude=RECIPIENT) is None


def test_title_is_kept_apart() -> None:
    person = find_referrer("Dr. Priya Patel suggested I contact you.")
    assert person == Person("Priya Patel", "Dr", 4, 15)


def test_first_referrer_wins() -> None:
    text = "I was referred to you by Sam Wu. Later, Sally Smith suggested I write."
    found = find_referrer(text)
    assert found is not None and found.name == "Sam Wu"


def request(body: str, subject: str = "Hello", **extra: object) -> AnalyzeRequest:
    return AnalyzeRequest.model_validate(
        {
            "subject": subject,
            "body": {"text": body},
            "to": [{"email": "jordan@example.com", "name": "Jordan Lee"}],
            **extra,
        }
    )


BODY = "Hi Jordan,\n\nSally Smith suggested I contact you. I'd value your take.\n\nThanks,\nAlex"


def fires(result: AnalyzeResponse) -> bool:
    return any(f.rule == RULE for f in result.findings)


def test_analyze_reports_the_body_referrer() -> None:
    result = analyze(request(BODY))
    assert result.referrer is not None
    assert (result.referrer.name, result.referrer.source) == ("Sally Smith", "body")
    finding = next(f for f in result.findings if f.rule == RULE)
    assert (finding.field, finding.start, finding.end, finding.match) == ("subject", 0, 5, "Hello")
    assert "Sally Smith" in finding.message


def test_recipient_is_not_their_own_referrer() -> None:
    result = analyze(request("Hi Jordan, Jordan Lee suggested I contact you. Thanks!"))
    assert result.referrer is None


def test_user_and_gmail_referrer_take_precedence() -> None:
    result = analyze(request(BODY, referrer="Dr. Ana Ruiz"), context=Context(referrer="Bo Li"))
    assert result.referrer is not None
    assert (result.referrer.name, result.referrer.source) == ("Ana Ruiz", "user")
    result = analyze(request(BODY), context=Context(referrer="Bo Li"))
    assert result.referrer is not None
    assert (result.referrer.name, result.referrer.source) == ("Bo Li", "gmail")
    result = analyze(request(BODY, referrer=None))
    assert result.referrer is not None and result.referrer.source == "body"


@pytest.mark.parametrize("nobody", ["", "   ", "\t\n"])
def test_the_user_saying_nobody_referred_them_is_believed(nobody: str) -> None:
    """An empty referrer: the name in the body, the Gmail one and the quoted introducer
    are all ignored; no card, and only the subjects of a draft without a referrer."""
    said = analyze(request(BODY, subject="", referrer=nobody), context=Context(referrer="Bo Li"))
    assert said.referrer is None and not fires(said)
    assert [f.rule for f in said.findings if f.field == "subject"] == ["missing-subject"]
    assert all(s.referrer is None for s in said.subject_suggestions)
    assert not any("Sally" in s.subject or "Bo Li" in s.subject for s in said.subject_suggestions)
    # The same draft without that word: Sally, her card, and subjects naming her.
    found = analyze(request(BODY, subject=""))
    assert found.referrer is not None and found.referrer.name == "Sally Smith" and fires(found)
    assert found.subject_suggestions[0].subject == "Sally Smith suggested I contact you"
    reply = (
        "Thanks Meredith (moved to bcc)! I'd value your take.\n\nAlex\n\n"
        "On Mon, Jan 6, 2025, Meredith Stone <m@example.com> wrote:\n> Jordan, meet Alex."
    )
    assert analyze(request(reply, subject="Re: Intro")).referrer is not None
    assert analyze(request(reply, subject="Re: Intro", referrer=nobody)).referrer is None


def test_saying_nobody_then_naming_someone() -> None:
    named = analyze(request(BODY, referrer="Bo Li"))
    assert named.referrer is not None and (named.referrer.name, named.referrer.source) == (
        "Bo Li",
        "user",
    )
    assert fires(named) and named.subject_suggestions[0].subject == "Bo Li suggested I contact you"


def test_quoted_history_is_not_searched_for_a_referrer() -> None:
    body = (
        "Thanks!\n\nOn Mon, Jan 6, 2025, Sam <s@example.com> wrote:\n"
        "> Sally Smith suggested I write."
    )
    assert analyze(request(body)).referrer is None


@pytest.mark.parametrize(
    "subject",
    [
        "Sally Smith suggested I contact you",
        "sally smith suggested I reach out",
        "Referred by SALLY SMITH",
        "Intro via Sally Smith — UX research",
        "Sally Smith's suggestion",
    ],
)
def test_subject_naming_the_referrer_is_fine(subject: str) -> None:
    assert not fires(analyze(request(BODY, subject=subject)))


@pytest.mark.parametrize(
    "subject", ["Question about UX research", "Sally suggested I write", "Smith", "Sally Smithers"]
)
def test_subject_not_naming_the_referrer_fires(subject: str) -> None:
    assert fires(analyze(request(BODY, subject=subject)))


def test_empty_subject_fires_both() -> None:
    rules = {f.rule for f in analyze(request(BODY, subject="")).findings}
    assert {RULE, "missing-subject"} <= rules


@pytest.mark.parametrize(
    ("subject", "names"),
    [
        ("Dr. Patel suggested I write", True),
        ("Prof Patel suggested I write", True),
        ("priya patel suggested I write", True),
        ("Patel suggested I write", False),
        ("Dr. Patelson suggested I write", False),
    ],
)
def test_title_and_surname_count(subject: str, names: bool) -> None:
    body = "Hi Jordan, I was referred to you by Dr. Priya Patel. I'd value your take. Thanks!"
    assert fires(analyze(request(body, subject=subject))) is not names


@pytest.mark.parametrize(
    ("name", "subject"),
    [
        ("José Álvarez", "Jose Alvarez suggested I write"),
        ("Zoë Saldaña", "ZOE SALDANA suggested I write"),
        ("Siobhán O’Brien", "Siobhan O'Brien suggested I write"),
        ("María de la Cruz", "maría de la cruz suggested I write"),
    ],
)
def test_compare_ignores_accents_case_and_apostrophes(name: str, subject: str) -> None:
    person = parse_person(name)
    assert person is not None
    assert subject_names(subject, person)


@pytest.mark.parametrize(
    "name",
    [
        "Sally Smith",
        "Dr. Priya Patel",
        "José Álvarez",
        "Siobhán O'Brien",
        "María de la Cruz",
        "Cher",
        "Maximiliana Alexandrina Theodora von Habsburg-Lothringen",
        "Wolfeschlegelsteinhausenbergerdorff Bartholomew-Featherstonehaugh",
        "Hubert Blaine Wolfeschlegelsteinhausenbergerdorff Sr",
    ],
)
def test_referrer_subjects(name: str) -> None:
    person = parse_person(name)
    assert person is not None
    subjects = [s for s, _ in referrer_subjects(person)]
    assert len(subjects) >= 3
    assert len(set(subjects)) == len(subjects)
    for s in subjects:
        assert len(s) <= MAX_SUBJECT
        # Applying a suggestion must silence the rule that offered it.
        assert subject_names(s, person), s
    if len(f"{person.name} suggested I contact you") <= MAX_SUBJECT:
        assert subjects[0] == f"{person.name} suggested I contact you"


def test_suggestions_in_the_response_name_the_referrer() -> None:
    result = analyze(request(BODY, subject="Question"))
    subjects = [s.subject for s in result.subject_suggestions]
    assert subjects[0] == "Sally Smith suggested I contact you"
    assert len(subjects) >= 3
    for s in result.subject_suggestions:
        assert s.referrer == "Sally Smith" and s.reason and len(s.subject) <= MAX_SUBJECT
        assert not fires(analyze(request(BODY, subject=s.subject)))


def test_topic_subjects_without_a_referrer() -> None:
    body = (
        "Hi Jordan,\n\nI'd value your take on UX research in Portland. Would you have 20 "
        "minutes next week?\n\nThanks,\nAlex"
    )
    result = analyze(request(body, subject=""))
    subjects = [s.subject for s in result.subject_suggestions]
    assert subjects and all("UX research in Portland" in s for s in subjects)
    assert all(
        s.referrer is None and len(s.subject) <= MAX_SUBJECT for s in result.subject_suggestions
    )


@pytest.mark.parametrize(
    "body",
    [
        "I'm interested in informational interviews with designers. Would you have time?",
        "I'd love your advice on informational interview etiquette. Thanks!",
        "I'd love to pick your brain about hiring. Could we talk?",
    ],
)
def test_topic_subjects_never_repeat_a_flagged_phrase(body: str) -> None:
    result = analyze(request(body, subject=""))
    for s in result.subject_suggestions:
        assert "informational interview" not in s.subject.lower()
        assert "pick your brain" not in s.subject.lower()


def _reply(body: str, subject: str = "Re: Intro: Camila <> Jonah") -> str | None:
    request = AnalyzeRequest.model_validate(
        {"subject": subject, "body": {"text": body}, "to": [{"name": "Camila Ruiz"}]}
    )
    found = analyze(request).referrer
    return found.name if found else None


QUOTED_INTRO = (
    "\n\nOn Mon, Nov 2, 2026 at 8:41 AM Meredith Stone <meredith@example.net> wrote:\n"
    "> Camila, meet Jonah. Jonah, meet Camila. I'll let you two take it from here!\n"
)


@pytest.mark.parametrize(
    "opening",
    [
        "Thanks Meredith (moved to bcc)!",
        "Thank you, Meredith! Moving you to bcc.",
        "Thanks so much for the intro, Meredith (moving you to bcc)!",
        "Thanks Meredith for connecting us.",
    ],
)
def test_reply_to_an_introduction_names_the_introducer(opening: str) -> None:
    body = f"{opening}\n\nCamila, great to e-meet you. Would 20 minutes work?\n\nBest,\nJonah"
    assert _reply(body + QUOTED_INTRO) == "Meredith Stone"
    assert _reply(body) == "Meredith"  # no quote: the first name is all there is


@pytest.mark.parametrize(
    ("thanked", "author", "introducer"),
    [
        ("Jess", "Jessica Tran", "Jessica Tran"),
        ("Becca", "Rebecca Long", "Rebecca Long"),
        ("Matt", "Matthew O'Neill", "Matthew O'Neill"),
        ("Andy", "Andrew Kim", "Andrew Kim"),
        ("Katie", "Katherine Moss", "Katherine Moss"),
        ("Beth", "Elizabeth Warrick", "Elizabeth Warrick"),
        # Not a short form of the author's name: the thanked person introduced them.
        ("Dan", "Jordan Smith", "Dan"),
        ("Mark", "Maria Lopez", "Mark"),
    ],
)
def test_introducer_thanked_by_a_short_form(thanked: str, author: str, introducer: str) -> None:
    body = f"Thanks {thanked} (moved to bcc)!\n\nCamila, great to e-meet you. Could we talk?"
    quote = QUOTED_INTRO.replace("Meredith Stone", author)
    assert _reply(body + quote) == introducer


def test_quoted_introduction_alone_names_its_author() -> None:
    body = "Camila, great to e-meet you. Would 20 minutes next week work?\n\nBest,\nJonah"
    assert _reply(body + QUOTED_INTRO) == "Meredith Stone"
    plain = QUOTED_INTRO.replace("Camila, meet Jonah. Jonah, meet Camila.", "See you then.")
    plain = plain.replace(" I'll let you two take it from here!", "")
    assert _reply(body + plain, subject="Re: Thursday") is None


@pytest.mark.parametrize(
    "text",
    [
        "Sally Smith (my old manager) suggested I contact you.",
        "Sally Smith — my former manager — suggested I write.",
        "I was talking with Sally Smith, who suggested I reach out.",
        "I met Sally Smith at the Denver meetup, and she suggested I reach out.",
        "Sally Smith forwarded me your profile last week.",
        "You were recommended to me by Sally Smith.",
        "Your name came up in a conversation with Sally Smith last week.",
        "Sally Smith highly recommended I reach out.",
        # Where she works, in any case, between her name and the verb.
        "Sally Smith of the Boston chapter of the IEEE passed along your email.",
        "Sally Smith at the Chicago office of the IRC gave me your name.",
        "Sally Smith from the Denver chapter of the AMA gave me your contact.",
        "Sally Smith speaks very highly of you.",
        "Sally Smith thought we'd have a lot to talk about.",
    ],
)
def test_more_ways_to_name_a_referrer(text: str) -> None:
    found = find_referrer(text)
    assert found is not None and found.name == "Sally Smith"


def test_a_place_before_she_is_not_a_referrer() -> None:
    assert find_referrer("I was in New York last week and she said you were great.") is None


def test_a_name_the_user_says_is_not_a_referrer_is_still_a_name() -> None:
    """Grammar never flags the referrer's name as a misspelling; a person merely
    mentioned, once the user says nobody referred them, is still a person."""
    from intro_coach.analyzer import _not_to_flag
    from intro_coach.draft import prepare

    said = request(BODY, referrer="")
    assert {"sally", "smith"} <= _not_to_flag(said, prepare(said), Context())
