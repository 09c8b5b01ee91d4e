"""The annual torch statistics returns of an incubator (火炬统计年报): the incubator's own
table (科技企业孵化器情况) and one row per company in incubation (在孵企业情况), filled from the
records, with the returns' consistency checks listed before export.

The indicators are those the Torch High Technology Industry Development Center (科技部火炬
中心) collects from incubators and publishes in the China Torch Statistical Yearbook (中国火炬
统计年鉴, part 3 "科技企业孵化器"); money is reported in 千元, as its filing notices require.
A company is in incubation when it is a tenant of the incubator on the year's last day (a
signed lease of one of its units covers that day). People and IP are a company's latest
filing for a period ended by that day; money its filings of the year (``company_flows``).
Two indicators have no record in ParkOps (the incubation fund, graduates hired that year):
they are left for the incubator to fill in by hand, and the checks say so.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.cn import uscc

from analytics.kpis import Scope, company_flows, valid_qualifications
from core.documents import Sheet, xlsx_workbook
from enterprises.choices import QualificationKind
from enterprises.models import FILING_IP, Enterprise
from leasing.choices import InvoiceKind
from leasing.models import Invoice, LeaseUnit
from programs.choices import MembershipState
from programs.models import Cohort, ProgramMember
from spaces.choices import ParkKind

__all__ = ["INCUBATEE_COLUMNS", "INCUBATOR_COLUMNS", "TorchReturn", "header", "torch_workbook"]

THOUSAND = Decimal(1000)
TENTH = Decimal("0.1")
BY_HAND = "by_hand"  # an indicator without a record in ParkOps


@dataclass(frozen=True)
class Column:
    """One indicator of a return: its published name (the returns are Chinese forms, so the
    name is not translated), its unit, and what it means in the user's language."""

    key: str
    name: str
    unit: str
    meaning: Any


C = Column
INCUBATOR_COLUMNS = [
    C("name", "孵化器名称", "", gettext_lazy("Incubator")),
    C("year", "统计年度", "", gettext_lazy("Year")),
    C("total_area", "孵化器总面积", "平方米", gettext_lazy("Floor area of the incubator")),
    C("incubatee_area", "其中：在孵企业使用面积", "平方米", gettext_lazy("Let to incubatees")),
    C("staff", "管理机构从业人员", "人", gettext_lazy("Staff of the operator in the park")),
    C("mentors", "创业导师", "人", gettext_lazy("Mentors of the year's cohorts")),
    C("income", "孵化器总收入", "千元", gettext_lazy("Billed in the year (rent and charges)")),
    C("fund", "孵化基金总额", "千元", gettext_lazy("Incubation fund (no record: by hand)")),
    C("incubatees", "在孵企业数", "个", gettext_lazy("Companies in incubation")),
    C("new_incubatees", "其中：当年新增在孵企业", "个", gettext_lazy("Of which joined this year")),
    C("people", "在孵企业从业人员", "人", gettext_lazy("Their employees")),
    C("graduates_hired", "其中：吸纳应届大学毕业生", "人", gettext_lazy("New graduates (by hand)")),
    C("returnees", "其中：留学人员", "人", gettext_lazy("Returnees")),
    C("graduated_total", "累计毕业企业", "个", gettext_lazy("Graduated, all years")),
    C("graduated_year", "其中：当年毕业企业", "个", gettext_lazy("Graduated this year")),
    C("revenue", "在孵企业总收入", "千元", gettext_lazy("Incubatees' revenue")),
    C("rd", "在孵企业研究与试验发展经费支出", "千元", gettext_lazy("Incubatees' R&D spend")),
    C("tax", "在孵企业上缴税费", "千元", gettext_lazy("Incubatees' taxes paid")),
    C("financed", "当年获得投融资的在孵企业", "个", gettext_lazy("Incubatees financed")),
    C("financing", "在孵企业当年获得投融资总额", "千元", gettext_lazy("Financing raised")),
    C("ip", "在孵企业拥有有效知识产权", "件", gettext_lazy("IP items held")),
    C("patents", "其中：发明专利", "件", gettext_lazy("Of which invention patents")),
    C("high_tech", "在孵企业中高新技术企业", "个", gettext_lazy("High-tech enterprises")),
]
INCUBATEE_COLUMNS = [
    C("no", "序号", "", gettext_lazy("No.")),
    C("name", "企业名称", "", gettext_lazy("Company")),
    C("credit_code", "统一社会信用代码", "", gettext_lazy("Credit code")),
    C("industry", "所属行业", "", gettext_lazy("Industry (GB/T 4754)")),
    C("established", "成立时间", "", gettext_lazy("Established on")),
    C("entered", "入孵时间", "", gettext_lazy("Entered the incubator on")),
    C("people", "从业人员", "人", gettext_lazy("Employees")),
    C("returnees", "其中：留学人员", "人", gettext_lazy("Returnees")),
    C("revenue", "总收入", "千元", gettext_lazy("Revenue")),
    C("rd", "研究与试验发展经费支出", "千元", gettext_lazy("R&D spend")),
    C("tax", "上缴税费", "千元", gettext_lazy("Taxes paid")),
    C("financing", "当年获得投融资额", "千元", gettext_lazy("Financing raised")),
    C("ip", "拥有有效知识产权", "件", gettext_lazy("IP items held")),
    C("patents", "其中：发明专利", "件", gettext_lazy("Invention patents")),
    C("high_tech", "是否高新技术企业", "", gettext_lazy("High-tech enterprise")),
]
del C


def header(column: Column) -> str:
    return f"{column.name}（{column.unit}）" if column.unit else column.name


@dataclass(frozen=True)
class Check:
    """A finding of the returns' own checks: ``error`` must be fixed in the records before
    the returns are filed; a warning is for the filer to confirm."""

    error: bool
    message: str


def _thousands(wan: Decimal) -> Decimal:
    return (wan * 10).quantize(TENTH)  # 万元 → 千元


class TorchReturn:
    """The returns of ``park`` for calendar ``year`` (as of the year's last day, or today
    for the current year)."""

    def __init__(self, park: Any, year: int) -> None:
        self.park = park
        self.year = year
        self.first_day = datetime.date(year, 1, 1)
        self.as_of = min(datetime.date(year, 12, 31), timezone.localdate())
        self.scope = Scope([park], self.as_of)

    @cached_property
    def companies(self) -> list[Enterprise]:
        return list(
            Enterprise.objects.filter(pk__in=self.scope.tenant_ids)
            .select_related("industry")
            .order_by("name")
        )

    @cached_property
    def entered(self) -> dict[int, datetime.date]:
        """Each company's first day in one of the park's units (its 入孵时间)."""
        rows = (
            LeaseUnit.objects.filter(
                unit__park=self.park, lease__enterprise_id__in=[c.pk for c in self.companies]
            )
            .values("lease__enterprise_id")
            .annotate(first=Min("start_on"))
        )
        return {r["lease__enterprise_id"]: r["first"] for r in rows}

    @cached_property
    def filings(self) -> dict[int, Any]:
        return {f.enterprise_id: f for f in self.scope.latest_filings()}

    @cached_property
    def flows(self) -> dict[int, dict[str, Decimal]]:
        return company_flows(self.scope.year_filings(self.year))

    @cached_property
    def high_tech(self) -> set[int]:
        valid = valid_qualifications(self.scope.tenant_ids, self.as_of)
        return set(
            valid.filter(kind=QualificationKind.HIGH_TECH).values_list("enterprise_id", flat=True)
        )

    @cached_property
    def rows(self) -> list[dict[str, Any]]:
        """The 在孵企业 table: one dict a company, keyed as ``INCUBATEE_COLUMNS``."""
        zero = {n: Decimal(0) for n in ("revenue_wan", "rd_spend_wan", "tax_paid_wan")}
        rows = []
        for no, company in enumerate(self.companies, 1):
            filing = self.filings.get(company.pk)
            money = self.flows.get(company.pk, zero | {"financing_wan": Decimal(0)})
            rows.append(
                {
                    "no": no,
                    "name": company.name,
                    "credit_code": company.credit_code,
                    "industry": str(company.industry) if company.industry else "",
                    "established": company.established_on,
                    "entered": self.entered.get(company.pk),
                    "people": filing.headcount if filing else 0,
                    "returnees": filing.returnees if filing else 0,
                    "revenue": _thousands(money["revenue_wan"]),
                    "rd": _thousands(money["rd_spend_wan"]),
                    "tax": _thousands(money["tax_paid_wan"]),
                    "financing": _thousands(money["financing_wan"]),
                    "ip": sum(getattr(filing, n) or 0 for n in FILING_IP) if filing else 0,
                    "patents": filing.invention_patents if filing else 0,
                    "high_tech": "是" if company.pk in self.high_tech else "否",
                    "_filed": company.pk in self.flows,
                    "_pk": company.pk,
                }
            )
        return rows

    @cached_property
    def graduations(self) -> dict[str, int]:
        members = ProgramMember.objects.filter(
            cohort__program__park=self.park,
            state=MembershipState.GRADUATED,
            ended_on__lte=self.as_of,
        )
        return {
            "total": members.values("enterprise").distinct().count(),
            "year": members.filter(ended_on__gte=self.first_day)
            .values("enterprise")
            .distinct()
            .count(),
        }

    def _mentors(self) -> int:
        cohorts = Cohort.objects.filter(
            program__park=self.park, starts_on__lte=self.as_of, ends_on__gte=self.first_day
        )
        names = {
            line.strip()
            for text in cohorts.values_list("mentors", flat=True)
            for line in text.splitlines()
            if line.strip()
        }
        return len(names)

    def _income(self) -> Decimal:
        billed = Invoice.objects.filter(
            park=self.park, issued_on__gte=self.first_day, issued_on__lte=self.as_of
        ).exclude(kind=InvoiceKind.DEPOSIT)  # a deposit is held, not earned
        total = billed.aggregate(s=Sum("amount"))["s"] or Decimal(0)
        return (Decimal(total) / THOUSAND).quantize(TENTH)

    @cached_property
    def incubator(self) -> dict[str, Any]:
        """The 科技企业孵化器情况 table: one row, keyed as ``INCUBATOR_COLUMNS``."""
        rows = self.rows

        def total(key: str) -> Any:
            return sum((r[key] for r in rows), Decimal(0) if key in _MONEY else 0)

        return {
            "name": self.park.name,
            "year": self.year,
            "total_area": self.scope.areas.total_area_m2,
            "incubatee_area": self.scope.occupancy.leased_area_m2,
            "staff": self.park.staff.count(),
            "mentors": self._mentors(),
            "income": self._income(),
            "fund": BY_HAND,
            "incubatees": len(rows),
            "new_incubatees": sum(
                1 for r in rows if r["entered"] and r["entered"] >= self.first_day
            ),
            "people": total("people"),
            "graduates_hired": BY_HAND,
            "returnees": total("returnees"),
            "graduated_total": self.graduations["total"],
            "graduated_year": self.graduations["year"],
            "revenue": total("revenue"),
            "rd": total("rd"),
            "tax": total("tax"),
            "financed": sum(1 for r in rows if r["financing"] > 0),
            "financing": total("financing"),
            "ip": total("ip"),
            "patents": total("patents"),
            "high_tech": sum(1 for r in rows if r["high_tech"] == "是"),
        }

    def rules(self) -> list[tuple[str, bool]]:
        """The returns' rules between the incubator's figures, and whether each holds (most
        hold by how the figures are computed; a filing can still break the last two)."""
        t = self.incubator
        return [
            ("其中：在孵企业使用面积 ≤ 孵化器总面积", t["incubatee_area"] <= t["total_area"]),
            ("其中：当年新增在孵企业 ≤ 在孵企业数", t["new_incubatees"] <= t["incubatees"]),
            ("其中：当年毕业企业 ≤ 累计毕业企业", t["graduated_year"] <= t["graduated_total"]),
            ("其中：发明专利 ≤ 在孵企业拥有有效知识产权", t["patents"] <= t["ip"]),
            ("其中：留学人员 ≤ 在孵企业从业人员", t["returnees"] <= t["people"]),
            ("在孵企业从业人员 ≥ 在孵企业数", t["people"] >= t["incubatees"]),
        ]

    def checks(self) -> list[Check]:
        """What the filer must fix or confirm before filing, errors first."""
        found = [
            Check(True, _("The rule %(rule)s does not hold.") % {"rule": rule})
            for rule, held in self.rules()
            if not held
        ]
        if self.park.kind != ParkKind.INCUBATOR:
            found.append(
                Check(
                    False,
                    _("%(park)s is not an incubator: incubators file these returns.")
                    % {"park": self.park.name},
                )
            )
        for key in ("fund", "graduates_hired"):
            column = next(c for c in INCUBATOR_COLUMNS if c.key == key)
            found.append(
                Check(
                    False,
                    _("%(name)s has no record in ParkOps: fill it in the downloaded workbook.")
                    % {"name": column.name},
                )
            )
        for r in self.rows:
            found.extend(self._row_checks(r))
        return sorted(found, key=lambda c: not c.error)

    def _row_checks(self, r: dict[str, Any]) -> list[Check]:
        company = {"company": r["name"], "year": self.year}
        found = []
        if not uscc.is_valid(r["credit_code"]):
            found.append(Check(True, _("%(company)s: the credit code is not valid.") % company))
        if r["people"] < 1:
            found.append(
                Check(
                    True,
                    _("%(company)s: no employees in its latest filing (at least 1).") % company,
                )
            )
        if not r["_filed"]:
            found.append(
                Check(
                    False,
                    _("%(company)s has filed no statistics for %(year)s: its money counts as 0.")
                    % company,
                )
            )
        if r["rd"] > r["revenue"]:
            found.append(
                Check(
                    False,
                    _("%(company)s: R&D spend above its revenue; confirm it is right.") % company,
                )
            )
        return found

    def incubator_sheet(self) -> Sheet:
        t = self.incubator
        return Sheet(
            "科技企业孵化器情况",
            [header(c) for c in INCUBATOR_COLUMNS],
            [[None if t[c.key] == BY_HAND else t[c.key] for c in INCUBATOR_COLUMNS]],
            notes=[f"{self.park.name} · {self.year} 年度 · 截至 {self.as_of.isoformat()}"],
        )

    def incubatee_sheet(self) -> Sheet:
        return Sheet(
            "在孵企业情况",
            [header(c) for c in INCUBATEE_COLUMNS],
            [[r[c.key] for c in INCUBATEE_COLUMNS] for r in self.rows],
            notes=[f"{self.park.name} · {self.year} 年度 · 在孵企业 {len(self.rows)} 家"],
        )


_MONEY = {"revenue", "rd", "tax", "financing"}


def torch_workbook(torch: TorchReturn, with_companies: bool = True) -> bytes:
    """The returns as .xlsx, each table in the returns' column order."""
    sheets = [torch.incubator_sheet()]
    if with_companies:
        sheets.append(torch.incubatee_sheet())
    return xlsx_workbook(*sheets)
