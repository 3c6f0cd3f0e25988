"""Sentence-count corpora for CA211: the Pragmatic Segmenter's English Golden Rules and
our own description-shaped table. Used by tests/test_golden_rules.py,
tests/test_sentences.py and benchmarks/sentences_compare.py (which runs pySBD on the
same cases).

GOLDEN_RULES: the 48 English cases of the Pragmatic Segmenter's Golden Rules as kept in
pySBD, ``tests/lang/test_english.py`` (github.com/nipunsadvilkar/pySBD, MIT License,
© 2019 Nipun Sadvilkar; the rules come from the Pragmatic Segmenter by Kevin S. Dias,
MIT License), each with the number of sentences its expected segmentation has.
"""

from __future__ import annotations

GOLDEN_RULES: list[tuple[str, int]] = [
    ("Hello World. My name is Jonas.", 2),
    ("What is your name? My name is Jonas.", 2),
    ("There it is! I found it.", 2),
    ("My name is Jonas E. Smith.", 1),
    ("Please turn to p. 55.", 1),
    ("Were Jane and co. at the party?", 1),
    ("They closed the deal with Pitt, Briggs & Co. at noon.", 1),
    ("Let's ask Jane and co. They should know.", 2),
    ("They closed the deal with Pitt, Briggs & Co. It closed yesterday.", 2),
    ("I can see Mt. Fuji from here.", 1),
    ("St. Michael's Church is on 5th st. near the light.", 1),
    ("That is JFK Jr.'s book.", 1),
    ("I visited the U.S.A. last year.", 1),
    ("I live in the E.U. How about you?", 2),
    ("I live in the U.S. How about you?", 2),
    ("I work for the U.S. Government in Virginia.", 1),
    ("I have lived in the U.S. for 20 years.", 1),
    ("At 5 a.m. Mr. Smith went to the bank. He left the bank at 6 P.M. Mr. Smith then went to the store.", 3),  # pySBD fails it
    ("She has $100.00 in her bag.", 1),
    ("She has $100.00. It is in her bag.", 2),
    ("He teaches science (He previously worked for 5 years as an engineer.) at the local University.", 1),
    ("Her email is Jane.Doe@example.com. I sent her an email.", 2),
    ("The site is: https://www.example.50.com/new-site/awesome_content.html. Please check it out.", 2),
    ("She turned to him, 'This is great.' she said.", 1),
    ('She turned to him, "This is great." she said.', 1),
    ('She turned to him, "This is great." She held the book out to show him.', 2),
    ("Hello!! Long time no see.", 2),
    ("Hello?? Who is there?", 2),
    ("Hello!? Is that you?", 2),
    ("Hello?! Is that you?", 2),
    ("1.) The first item 2.) The second item", 2),
    ("1.) The first item. 2.) The second item.", 2),
    ("1) The first item 2) The second item", 2),
    ("1) The first item. 2) The second item.", 2),
    ("1. The first item 2. The second item", 2),
    ("1. The first item. 2. The second item.", 2),
    ("• 9. The first item • 10. The second item", 2),
    ("⁃9. The first item ⁃10. The second item", 2),
    ("a. The first item b. The second item c. The third list item", 3),
    ("You can find it at N°. 1026.253.553. That is where the treasure is.", 2),
    ("She works at Yahoo! in the accounting department.", 1),
    ("We make a good team, you and I. Did you see Albert I. Jones yesterday?", 2),
    ("Thoreau argues that by simplifying one’s life, “the laws of the universe will appear less complex. . . .”", 1),
    ('"Bohr [...] used the analogy of parallel stairways [...]" (Smith 55).', 1),
    (
        (
            "If words are left off at the end of a sentence, and that is all that is omitted, indicate the omission with ellipsis marks "
            "(preceded and followed by a space) and then indicate the end of the sentence with a period . . . . Next sentence."
        ),
        2,
    ),
    ("I never meant that.... She left the store.", 2),
    ("I wasn’t really ... well, what I mean...see . . . what I'm saying, the thing is . . . I didn’t mean it.", 1),
    (
        (
            "One further habit which was somewhat weakened . . . was that of combining words into self-interpreting compounds. . . . "
            "The practice was not abandoned. . . ."
        ),
        2,
    ),
]
# The Golden Rule pySBD itself gets wrong ("P.M. Mr." reads as a name continuation).
PYSBD_FAILS = "At 5 a.m. Mr. Smith went to the bank. He left the bank at 6 P.M. Mr. Smith then went to the store."

# Description-shaped text, what CA211 actually meets: each with the count a careful reader gives.
DESCRIPTIONS: list[tuple[str, int]] = [
    # plain sentences
    ("Syncs deals.", 1),
    ("Syncs deals", 1),  # no terminal punctuation
    ("Syncs deals. Creates invoices.", 2),
    ("Syncs deals. Creates invoices. Sends reminders.", 3),
    ("Syncs deals! Creates invoices? Sends reminders.", 3),
    ("Really?! Yes.", 2),
    ("", 0),
    ("   ", 0),
    ("...", 0),
    # abbreviations
    ("Syncs data, e.g. contacts and deals.", 1),
    ("Syncs data, e.g. Contacts and Deals.", 1),
    ("Syncs records, i.e. leads. Then invoices them.", 2),
    ("Syncs contacts, deals, etc. to Tidewater.", 1),
    ("Syncs contacts, deals, etc. Payment status shows on the lead.", 2),
    ("Handles etc. 5 more objects.", 1),
    ("Compares Close vs. Tidewater pipelines.", 1),
    ("Built by Acme Inc. for sales teams.", 1),
    ("Built by Acme Inc. It syncs deals.", 2),
    ("Made by Tidewater Ltd. and partners.", 1),
    ("Made by Tidewater Co. in Oslo.", 1),
    ("Made by Tidewater Corp. Invoices sync hourly.", 2),
    ("Books calls with Dr. Smith and Mr. Jones.", 1),
    ("Ships to 221B Baker St. London.", 1),
    ("Ranked No. 1 for invoicing.", 1),
    ("Takes approx. 5 minutes to set up.", 1),
    ("Serves U.S. customers. Invoices in USD.", 2),
    ("Serves U.S. and EU customers.", 1),
    # initials
    ("Written by J. R. R. Tolkien fans.", 1),
    ("Founded by A.B. Smith in 2020.", 1),
    # decimals, versions, domains, e-mails, URLs
    ("Supports API v2.5 and 3.14 pricing.", 1),
    ("Visit tidewater.dev for docs.", 1),
    ("Visit tidewater.dev. Then connect Close.", 2),
    ("Write to help@tidewater.dev for help.", 1),
    ("See https://tidewater.dev/docs/v1.2/setup.html for setup.", 1),
    ("See https://tidewater.dev/docs. It explains setup.", 2),
    # ellipses
    ("Syncs deals... and invoices them.", 1),
    ("Syncs deals… and invoices them.", 1),
    ("Syncs deals... Then invoices them.", 2),
    ("Wait for it…", 1),
    # quotes and parentheses after the period
    ('Marks deals "won." Then invoices them.', 2),
    ("Invoices deals (when won.) Payment shows on the lead.", 2),
    ("He said 'sync.' It synced.", 2),
    # lower-case after a period is not a new sentence
    ("Works with Yahoo! mail and Gmail.", 1),
    # white space and folded YAML
    ("Syncs deals.\nCreates invoices.", 2),
    ("Syncs deals   and\n  creates invoices.", 1),
    ("Turns won Close opportunities into Tidewater invoices\nfor our own sales team. Payment status shows on the lead.\n", 2),
    # more abbreviations, as descriptions use them
    ("Syncs leads, contacts, opportunities, etc. It runs hourly.", 2),
    ("Syncs leads (i.e. prospects) into Tidewater.", 1),
    ("Works for Acme Inc. and Globex Corp. customers.", 1),
    ("Compares Q3 vs. Q4 pipeline. Shows the gap.", 2),
    ("Ranks deals by No. of calls.", 1),
    ("Built for the U.S. Our EU version follows.", 2),
    ("Built for the U.S. Sales team in Boston.", 1),
    ("Logs calls from 9 a.m. to 5 p.m. every day.", 1),
    ("Calls Dr. Smith. Then books a demo.", 2),
    # versions, prices, numbers
    ("Requires Tidewater 3.2.1 or later.", 1),
    ("Costs $9.99 per seat. Billed monthly.", 2),
    ("Charges 2.5% per invoice.", 1),
    ("Syncs 1,000.50 USD deals.", 1),
    ("Updated in 2024. Supports v2 of the API.", 2),
    # domains, e-mails, URLs
    ("Mail support@tidewater.dev. We answer within a day.", 2),
    ("Open app.tidewater.dev/settings to connect Close.", 1),
    ("Docs at https://tidewater.dev/docs?page=1&lang=en. Setup takes a minute.", 2),
    # emoji, #channels, @mentions, Q&A, em dashes
    ("Posts won deals to Slack 🎉. Pings the owner.", 2),
    ("Posts won deals to #sales-wins and pings @owner.", 1),
    ("Answers Q&A from leads — then logs the call.", 1),
    ("Answers Q&A from leads—then logs the call. Syncs nightly.", 2),
    ("Great for teams 🚀 Syncs every deal.", 1),
    ("Syncs deals! 🎉 Then invoices them.", 2),
    # lists in a description
    ("1. Syncs deals 2. Creates invoices 3. Sends reminders", 3),
    ("Syncs deals. Version 2. Creates invoices.", 3),
]


# Round 4 (SPEC §4): description-shaped text in other scripts and languages, each of the
# shape a real listing had (integration directories and published app manifests whose
# text was kept verbatim), the count a reader of the language gives: (text, sentences,
# pySBD's language code, where the shape comes from).
MULTILINGUAL = [
    ("First sentence. Second one starts here\nAnd continues here.", 3, "en", "a JSON manifest wrapped with \\n (the count must not depend on the YAML style)"),
    (
        "GitHub 整合提供了一個儀表板小工具，顯示您最重要的通知\n以及用於倉庫、問題與拉取請求的統一搜尋提供程式。它還提供了一個通知提供程式。",
        2,
        "zh",
        "Nextcloud info.xml l10n, zh_TW (a wrapped line: Chinese has no letter case)",
    ),
    (
        "GitHub 集成提供了一个仪表板小部件，显示您最重要的通知\n以及用于仓库、问题和拉取请求的统一搜索提供程序。它还提供通知。",
        2,
        "zh",
        "Nextcloud info.xml l10n, zh_CN",
    ),
    ("彼は「はい。」と言った。二文目です。", 2, "ja", "a full stop inside 「」 (the Japanese quotation marks)"),
    (
        "アプリを開くと「このアプリは Slack による承認を受けていません。」と表示されます。管理者の承認は不要です。",
        2,
        "ja",
        "a Japanese app-directory listing quoting a dialog",
    ),
    ("تعرض الأداة أهم الإشعارات\nوتوفر بحثًا موحدًا في المستودعات. كما توفر مزودًا للإشعارات.", 2, "ar", "Nextcloud info.xml l10n, ar (wrapped)"),
    (
        "Send flag data to space. This field supports Markdown.<br>Here is [a link](https://example.org/docs).",
        3,
        "en",
        "a feature-flag integration's listing with HTML",
    ),
    ("Sincroniza contactos (p. ej. de Salesforce) con EE. UU. y más. Segunda frase.", 2, "es", "a Spanish CRM-connector listing"),
    ("Synchronisiert Kontakte, z. B. aus Salesforce bzw. HubSpot, usw. Der Abgleich läuft stündlich.", 2, "de", "a German CRM-connector listing"),
    ("Synchronise les contacts, p. ex. depuis Salesforce. M. Dupont valide chaque import.", 2, "fr", "a French CRM-connector listing"),
    ("Sincroniza contatos, p. ex. do Salesforce, com a Sra. Silva. Segunda frase.", 2, "pt", "Portuguese"),
    ("Sincronizza i contatti, ad es. da Salesforce, con il dott. Rossi. Seconda frase.", 2, "it", "Italian"),
    ("Synchroniseert contacten, bijv. uit Salesforce, enz. De tweede zin.", 2, "nl", "Dutch"),
    ("첫 번째 문장입니다.두 번째 문장입니다.세 번째 문장입니다.", 3, "en", "Korean written with no space after the full stop (real translations)"),
    ("Синхронизирует контакты, т. е. лиды и сделки.\nВторое предложение.", 2, "ru", "Russian (wrapped, a capital after a terminal)"),
    ("Συγχρονίζει επαφές από το Salesforce.\nΔεύτερη πρόταση.", 2, "el", "Greek"),
]
