"""Members and sales brought in from a file (tui/db/imports), on the fixture shop
(tests/fixture_shop.py: today Monday 2026-11-23, 11:30 in Asia/Shanghai). The rows are
given as tui.intake reads them; what is written, refused, kept and undone is checked in the
database, every figure worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from fixture_shop import NOW, TODAY, utc
from tui.db.imports import (ImportError_, MemberIn, SaleIn, check_members, check_sales,
                            undo_batch, write_members, write_sales)
from tui.db.models import AuditLog, Callback, ImportBatch, Member, Product, Purchase, PurchaseLine
from tui.intake.progress import ImportCancelled, Progress

SHA = "0" * 64


def members_file() -> list[MemberIn]:
    return [
        # 王芳 is on file (13800001234): her empty address and card number are filled in
        MemberIn(2, name="王芳", phone="13800001234", card_no="C001", address="幸福路1号"),
        MemberIn(3, name="林红", phone="13912345678", card_no="C002", gender="女",
                 joined_on=date(2025, 3, 1), guide="张丽"),
        MemberIn(4, name="林红", phone="13912345678"),                 # the same person again
        MemberIn(5, name="马兰", phone="1381234"),                     # not a mobile number
        MemberIn(6, name="高洁", phone="13711112222", guide="小王"),   # a guide not on file
    ]


def test_a_members_file_with_bad_rows_writes_nothing_and_says_which(shop, settings):
    plan = check_members(members_file(), settings, TODAY)
    assert sorted((r.row, r.column) for r in plan.refused) == [(4, "phone"), (5, "phone")]
    assert [(r.row, r.column, r.value) for r in plan.notes] == [(6, "guide", "小王")]
    assert plan.counts() == {"new": 2, "filled": 1, "unchanged": 0, "refused": 2}
    before = Member.select().count()
    with pytest.raises(ImportError_) as refused:
        write_members(plan, "members.csv", SHA, shop["boss"], NOW, settings)
    assert str(refused.value) == ("2 rows cannot be brought in as they are; nothing was "
                                  "written (see the report)")
    assert Member.select().count() == before and ImportBatch.select().count() == 0


def test_the_good_rows_in_one_batch_then_again_nothing_then_undone(shop, settings):
    before = Member.select().count()  # 9 in the fixture shop: M000001 … M000009
    plan = check_members(members_file(), settings, TODAY)
    batch = write_members(plan, "members.csv", SHA, shop["boss"], NOW, settings, valid_rows=True)
    lin = Member.get(Member.phone == "13912345678")
    gao = Member.get(Member.phone == "13711112222")
    assert (lin.member_no, lin.name, lin.gender, lin.pos_card_no, lin.owner_id, lin.joined_on,
            lin.phone_tail, lin.name_pinyin) == ("M000010", "林红", "女", "C002", shop["zhang"],
                                                  date(2025, 3, 1), "5678", "linhong")
    assert (gao.member_no, gao.owner_id, gao.joined_on) == ("M000011", None, TODAY)
    wang = Member.get_by_id(shop["wangfang"])
    assert (wang.address, wang.pos_card_no) == ("幸福路1号", "C001")
    assert Member.select().count() == before + 2
    audit = AuditLog.get(AuditLog.action == "import")
    assert (audit.subject, audit.staff_id) == (f"batch {batch}", shop["boss"])

    # the same file again: every member is on file and has what the file gives
    again = check_members(members_file(), settings, TODAY)
    assert again.counts() == {"new": 0, "filled": 0, "unchanged": 3, "refused": 2}

    done = undo_batch(batch, shop["boss"], NOW, settings)
    assert done == {"lines": 0, "purchases": 0, "members": 2, "products": 0, "emptied": 1}
    assert Member.select().count() == before
    wang = Member.get_by_id(shop["wangfang"])
    assert (wang.address, wang.pos_card_no) == (None, None)
    with pytest.raises(ImportError_):
        undo_batch(batch, shop["boss"], NOW, settings)


def sales_file() -> list[SaleIn]:
    at = utc("2026-11-22 10:00")  # yesterday 10:00 in the shop
    return [
        SaleIn(2, "R1", at, 2, 70_000, line_no=1, phone="13800001234", sku="FH-3", guide="张丽"),
        SaleIn(3, "R1", at, 1, 12_900, line_no=2, phone="13800001234", sku="BBS-L", guide="张丽"),
        # a return the same day, at noon: one can of 飞鹤 back
        SaleIn(4, "R2", utc("2026-11-22 12:00"), -1, -35_000, phone="13800001234", sku="FH-3"),
        SaleIn(5, "R3", at, 1, 12_900, phone="13999999999", sku="BBS-L"),  # nobody on file
        # no member (a walk-in), a product new to the shop
        SaleIn(6, "R4", at, 1, 12_900, product_name="贝亲奶瓶", brand="贝亲", category="gear",
               unit="piece"),
    ]


def test_sales_come_in_with_what_they_imply_and_never_twice(shop, settings):
    plan = check_sales(sales_file(), settings)
    assert [(r.row, r.column) for r in plan.refused] == [(5, "phone")]
    assert plan.counts() == {"lines": 4, "on_file": 0, "receipts": 3, "new_members": 0,
                             "new_products": 1, "refused": 1}
    with pytest.raises(ImportError_):
        write_sales(plan, "sales.csv", SHA, shop["boss"], NOW, settings)
    batch = write_sales(plan, "sales.csv", SHA, shop["boss"], NOW, settings, valid_rows=True)

    r1 = Purchase.get(Purchase.receipt_no == "R1")
    assert (r1.member_id, r1.staff_id, r1.purchased_at, r1.import_batch_id) == (
        shop["wangfang"], shop["zhang"], utc("2026-11-22 10:00"), batch)
    assert [(ln.quantity, ln.amount_cents, ln.source_key) for ln in
            PurchaseLine.select().where(PurchaseLine.purchase == r1).order_by(PurchaseLine.id)] \
        == [(2, 70_000, "R1#1"), (1, 12_900, "R1#2")]
    bottle = Product.get(Product.name == "贝亲奶瓶")
    assert (bottle.sku, bottle.brand, bottle.price_cents, bottle.days_per_unit) == (
        f"IMP-{batch}-1", "贝亲", 12_900, None)
    r4 = Purchase.get(Purchase.receipt_no == "R4")
    assert r4.member_id is None
    # 王芳: 420,000 on file + 70,000 + 12,900 − 35,000 = 467,900
    wang = Member.get_by_id(shop["wangfang"])
    assert (wang.total_spend_cents, wang.last_purchase_at) == (467_900, utc("2026-11-22 12:00"))
    calls = {(c.reason, c.source_key): (c.due_on, c.detail) for c in Callback.select().where(
        (Callback.member == shop["wangfang"]) & (Callback.status == "open"))}
    # R1's follow-up: 24 h after 10:00 on 22 Nov, due today; the return (R2) raises none.
    assert calls == {
        ("follow_up", f"purchase:{r1.id}"): (TODAY, "bought 飞鹤星飞帆3段 +1"),
        # 飞鹤: 12 cans on 30 Aug last to 28 Nov; on 22 Nov 2 bought and 1 back, the same
        # shop day: 1 can, 7.5 days, floor 7 → 5 Dec, due 5 days before: 30 Nov
        ("running_out", "飞鹤/formula:2026-11-22"): (date(2026, 11, 30),
                                                   "飞鹤星飞帆3段 ×1 runs out 12-05"),
        # 帮宝适: 1 pack, 10 days from 22 Nov → 2 Dec, due 27 Nov
        ("running_out", "帮宝适/diapers:2026-11-22"): (date(2026, 11, 27),
                                                     "帮宝适L码 ×1 runs out 12-02")}

    # the same file again, and a later export overlapping it: nothing written twice
    again = check_sales(sales_file(), settings)
    assert (again.counts()["lines"], again.counts()["on_file"]) == (0, 4)
    lines = PurchaseLine.select().count()
    write_sales(again, "sales.csv", SHA, shop["boss"], NOW, settings, valid_rows=True)
    assert PurchaseLine.select().count() == lines

    # undone: the purchases, the product and 王芳's spend as before; her calls as before
    done = undo_batch(batch, shop["boss"], NOW, settings)
    assert done == {"lines": 4, "purchases": 3, "members": 0, "products": 1, "emptied": 0}
    wang = Member.get_by_id(shop["wangfang"])
    assert (wang.total_spend_cents, wang.last_purchase_at) == (420_000, utc("2026-08-30 10:00"))
    assert Product.get_or_none(Product.name == "贝亲奶瓶") is None
    running = Callback.get((Callback.member == shop["wangfang"]) & (Callback.status == "open")
                           & (Callback.reason == "running_out"))
    assert (running.source_key, running.due_on) == ("飞鹤/formula:2026-08-30", TODAY)


def test_a_guide_cannot_import_and_a_batch_others_built_on_stays(shop, settings):
    from tui.db.audit import PermissionDenied
    from tui.db.callbacks.contacts import ContactEntry, log_contact

    plan = check_members(members_file()[1:2], settings, TODAY)
    with pytest.raises(PermissionDenied):
        write_members(plan, "members.csv", SHA, shop["zhang"], NOW, settings)
    batch = write_members(plan, "members.csv", SHA, shop["boss"], NOW, settings)
    lin = Member.get(Member.phone == "13912345678")
    log_contact(ContactEntry(lin.id, shop["zhang"], "phone", "reached", True, "欢迎入会"),
                settings.callbacks, settings.shop.zone, NOW)
    with pytest.raises(ImportError_) as refused:
        undo_batch(batch, shop["boss"], NOW, settings)
    assert "contacted, noted or sold to since" in str(refused.value)
    assert Member.get_or_none(Member.id == lin.id) is not None


def test_progress_is_told_each_phase_and_stopping_it_writes_nothing(shop, settings):
    seen: list[tuple[str, int, int | None]] = []
    progress = Progress(lambda phase, done, total: seen.append((phase, done, total)), every=2)
    plan = check_sales(sales_file(), settings, progress=progress)
    # five rows checked, told at rows 2 and 4; four good lines to write
    assert seen == [("checking", 2, 5), ("checking", 4, 5)]
    seen.clear()
    lines, purchases = PurchaseLine.select().count(), Purchase.select().count()
    spend = Member.get_by_id(shop["wangfang"]).total_spend_cents

    def stop_after_two(phase, done, total):
        seen.append((phase, done, total))
        progress.cancel.set()  # asked to stop after the second line was written

    progress.watch = stop_after_two
    with pytest.raises(ImportCancelled) as stopped:
        write_sales(plan, "sales.csv", SHA, shop["boss"], NOW, settings, valid_rows=True,
                    progress=progress)
    assert str(stopped.value) == "the import was stopped: nothing was written"
    assert seen == [("writing", 2, 4)]
    assert (PurchaseLine.select().count(), Purchase.select().count()) == (lines, purchases)
    assert Member.get_by_id(shop["wangfang"]).total_spend_cents == spend
    assert ImportBatch.select().count() == 0 and Product.get_or_none(
        Product.name == "贝亲奶瓶") is None

    # told to the end, each phase ends at its total
    progress = Progress(lambda phase, done, total: seen.append((phase, done, total)), every=3)
    seen.clear()
    write_sales(plan, "sales.csv", SHA, shop["boss"], NOW, settings, valid_rows=True,
                progress=progress)
    assert seen == [("writing", 3, 4), ("writing", 4, 4)]
