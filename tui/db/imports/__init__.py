"""The shop's files brought in: members and sales checked row by row against what is on
file, written as one batch (all or nothing, or the good rows only), and undone by batch.
Reading the files themselves (encodings, spreadsheets, columns) is tui.intake's."""

from tui.db.imports.batches import (Batch, DayImport, ImportError_, Refusal, batches,
                                    file_sha256, imports_between, record_failure, undo_batch)
from tui.db.imports.members import MemberIn, MemberPlan, check_members, write_members
from tui.db.imports.products import ProductIn, ProductPlan, check_products, write_products
from tui.db.imports.sales import SaleIn, SalePlan, check_sales, write_sales

__all__ = ["Batch", "DayImport", "ImportError_", "imports_between", "record_failure", "MemberIn", "MemberPlan", "ProductIn", "ProductPlan",
           "Refusal", "SaleIn", "SalePlan", "batches", "check_members", "check_products",
           "check_sales", "file_sha256", "undo_batch", "write_members", "write_products",
           "write_sales"]
