"""A deterministic, realistic demo center: 示范市行政服务中心 with two smaller
centers, departments, windows, offices, zones, staff, roles and pairings."""

import random
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from gembahall.accounts.models import User
from gembahall.core.audit import event_record
from gembahall.org.models import (
    Center,
    CommitteeMembership,
    Department,
    Pairing,
    Person,
    RoleAssignment,
    Unit,
    UnitVersion,
)

from .otp import demo_otp_devices

DEMO_PASSWORD = "gemba-demo-2026"
DEMO_ACCOUNTS = [
    ("director", "director", "中心主任"),
    ("inspector", "inspector", "考核督查科督查员"),
    ("windowhead", "window_head", "A01 窗口负责人"),
    ("liaison", "liaison", "A01 OSM联络员"),
    ("clerk", "staff", "A01 窗口工作人员"),
    ("sysadmin", "sysadmin", "系统管理员"),
    ("secadmin", "security_admin", "安全管理员"),
    ("auditor", "auditor", "审计管理员"),
]
DEPARTMENTS = [
    "市场监管局",
    "公安局",
    "不动产登记中心",
    "人力社保局",
    "医疗保障局",
    "住房公积金中心",
    "税务局",
    "交通运输局",
    "卫生健康局",
    "住房和城乡建设局",
    "自然资源和规划局",
    "经济和信息化局",
    "发展和改革局",
    "人防办",
    "消防救援大队",
    "民政局",
    "教育局",
    "文化广电旅游体育局",
    "农业农村局",
    "水利局",
    "生态环境分局",
    "商务局",
    "司法局",
    "残联",
    "烟草专卖局",
    "气象局",
    "供电公司",
    "水务集团",
    "燃气公司",
    "邮政公司",
    "档案馆",
    "退役军人事务局",
]
INTERMEDIARY = ["测绘中介服务", "图审中介服务", "代办服务"]
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐"
    "许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰"
    "萍红建文辉力燕鹏宇浩佳琳欣怡晨雪婷晓丹亮斌"
)
ZONES = [
    ("导办区", ""),
    ("窗口区A", "A"),
    ("窗口区B", "B"),
    ("窗口区C", "C"),
    ("自助区", ""),
    ("等候区", ""),
    ("档案室", ""),
    ("储藏室", ""),
]
OSM_OFFICE = "考核督查科（OSM办公室）"
OFFICES = ["审管办机关", OSM_OFFICE, "信息服务中心"]


class DemoBuilder:
    def __init__(self, scale: int = 1, seed: int = 2026):
        self.scale = scale
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.start = self.now - timedelta(days=400)
        self.staff_seq = 0
        self.password = make_password(DEMO_PASSWORD)

    def name(self) -> str:
        given = self.rng.choice(GIVEN) + (
            self.rng.choice(GIVEN) if self.rng.random() < 0.7 else ""
        )
        return self.rng.choice(SURNAMES) + given

    def phone(self) -> str:
        return f"1{self.rng.choice('3578')}{self.rng.randrange(10**9):09d}"

    def person(self, center, unit, title="", is_leader=False) -> Person:
        self.staff_seq += 1
        return Person(
            center=center,
            unit=unit,
            name=self.name(),
            title=title,
            is_leader=is_leader,
            staff_number=f"{center.code.upper()[:4]}{self.staff_seq:05d}",
            phone=self.phone(),
            valid_from=self.start,
        )

    @transaction.atomic
    def build(self) -> Center:
        city = Center.objects.create(
            name="示范市行政服务中心", code="demo", kind=Center.Kind.CITY
        )
        east = Center.objects.create(
            name="示范市东城分中心", code="demo-east", kind=Center.Kind.SUB, parent=city
        )
        town = Center.objects.create(
            name="示范市青山镇便民服务中心",
            code="demo-qs",
            kind=Center.Kind.TOWNSHIP,
            parent=city,
        )
        self.build_center(
            city, DEPARTMENTS, windows_per_dept=self.city_windows, main=True
        )
        self.build_center(east, DEPARTMENTS[:8], windows_per_dept=lambda i: 1)
        self.build_center(town, DEPARTMENTS[:5], windows_per_dept=lambda i: 1)
        event_record(
            actor=None, action="demo.build", target=city, after={"scale": self.scale}
        )
        return city

    def city_windows(self, index: int) -> int:
        """The busiest departments (listed first) staff three windows, the rest
        one or two."""
        return (3 if index < 8 else 2 if index % 2 else 1) * self.scale

    def build_center(self, center, departments, *, windows_per_dept, main=False):
        units = {}
        leadership = Unit.objects.create(
            center=center,
            kind=Unit.Kind.LEADERSHIP,
            name="中心领导",
            valid_from=self.start,
        )
        offices = [
            Unit.objects.create(
                center=center,
                kind=Unit.Kind.OFFICE,
                name=n,
                is_osm_office=n == OSM_OFFICE,
                valid_from=self.start,
            )
            for n in OFFICES
        ]
        zones = {
            n: Unit.objects.create(
                center=center, kind=Unit.Kind.ZONE, name=n, valid_from=self.start
            )
            for n, _l in ZONES
        }
        letters = [(zones[n], letter) for n, letter in ZONES if letter]
        depts = Department.objects.bulk_create(
            [
                Department(center=center, name=n, valid_from=self.start)
                for n in departments
            ]
            + [
                Department(
                    center=center, name=n, is_intermediary=True, valid_from=self.start
                )
                for n in (INTERMEDIARY if main else [])
            ]
        )
        windows, counters = [], {letter: 0 for _z, letter in letters}
        for i, dept in enumerate(depts):
            zone, letter = letters[i % len(letters)]
            count = windows_per_dept(i) if not dept.is_intermediary else 1
            for _n in range(count):
                counters[letter] += 1
                windows.append(
                    Unit(
                        center=center,
                        kind=Unit.Kind.INTERMEDIARY
                        if dept.is_intermediary
                        else Unit.Kind.WINDOW,
                        name=f"{dept.name}窗口",
                        department=dept,
                        zone=zone,
                        code=f"{letter}{counters[letter]:02d}",
                        valid_from=self.start,
                    )
                )
        Unit.objects.bulk_create(windows)
        units = [leadership, *offices, *zones.values(), *windows]
        UnitVersion.objects.bulk_create(
            [
                UnitVersion(
                    center=center,
                    unit=u,
                    code=u.code,
                    name=u.name,
                    valid_from=u.valid_from,
                    department_name=u.department.name if u.department_id else "",
                )
                for u in units
            ]
        )
        self.staff(center, leadership, offices, zones, windows, main)

    def staff(self, center, leadership, offices, zones, windows, main):
        people, roles = [], []
        leaders = [
            self.person(center, leadership, t, True)
            for t in ("主任", "副主任", "副主任")
        ]
        people += leaders
        office_people = {
            o.pk: [self.person(center, o, "科长", True)]
            + [self.person(center, o, "科员") for _ in range(3)]
            for o in offices
        }
        for group in office_people.values():
            people += group
        guides = [self.person(center, zones["导办区"], "导办员") for _ in range(3)]
        people += guides
        window_people = {}
        for w in windows:
            group = [self.person(center, w, "窗口负责人", True)] + [
                self.person(center, w, "窗口工作人员")
                for _ in range(self.rng.choice((1, 2, 2)))
            ]
            window_people[w.pk] = group
            people += group
        Person.objects.bulk_create(people)
        for o in offices:
            o.head = office_people[o.pk][0]
        leadership.head = leaders[0]
        for w in windows:
            w.head = window_people[w.pk][0]
        Unit.objects.bulk_update([leadership, *offices, *windows], ["head"])
        at = {"center": center, "valid_from": self.start}
        roles.append(RoleAssignment(person=leaders[0], role="director", **at))
        roles.append(RoleAssignment(person=leaders[1], role="director", **at))
        inspectors = office_people[offices[1].pk]
        roles += [RoleAssignment(person=p, role="inspector", **at) for p in inspectors]
        roles += [
            RoleAssignment(person=p, role="guide", unit=zones["导办区"], **at)
            for p in guides
        ]
        info = office_people[offices[2].pk]
        for person, role in zip(
            info[1:], ("sysadmin", "security_admin", "auditor"), strict=True
        ):
            roles.append(RoleAssignment(person=person, role=role, **at))
        skip_liaison = {w.pk for w in windows[5::23]}
        for w in windows:
            head, *rest = window_people[w.pk]
            roles.append(RoleAssignment(person=head, role="window_head", unit=w, **at))
            for p in rest:
                roles.append(RoleAssignment(person=p, role="staff", unit=w, **at))
            if w.pk not in skip_liaison:
                roles.append(
                    RoleAssignment(
                        person=(rest or [head])[0], role="liaison", unit=w, **at
                    )
                )
        RoleAssignment.objects.bulk_create(roles)
        members = leaders + [office_people[o.pk][0] for o in offices]
        CommitteeMembership.objects.bulk_create(
            [CommitteeMembership(person=leaders[0], position="chair", **at)]
            + [
                CommitteeMembership(person=p, position="vice_chair", **at)
                for p in leaders[1:]
            ]
            + [
                CommitteeMembership(person=p, position="member", **at)
                for p in members[3:]
            ]
        )
        Pairing.objects.bulk_create(
            [
                Pairing(member=members[i % len(members)], unit=w, **at)
                for i, w in enumerate(windows[:: max(1, len(windows) // 12)])
            ]
        )
        if main:
            self.accounts(center, leaders, inspectors, windows, window_people, info)
            self.renumber(center, windows, window_people)

    def accounts(self, center, leaders, inspectors, windows, window_people, info):
        a01 = next(w for w in windows if w.code == "A01")
        head, *rest = window_people[a01.pk]
        liaison = RoleAssignment.objects.get(
            unit=a01, role="liaison", valid_to__isnull=True
        ).person
        clerk = next(p for p in rest if p.pk != liaison.pk) if len(rest) > 1 else head
        owners = {
            "director": leaders[0],
            "inspector": inspectors[1],
            "windowhead": head,
            "liaison": liaison,
            "clerk": clerk,
            "sysadmin": info[1],
            "secadmin": info[2],
            "auditor": info[3],
        }
        for username, person in owners.items():
            if person.user_id:
                continue
            person.user = User.objects.create(
                username=username, password=self.password, password_never_expires=True
            )
            person.save(update_fields=["user"])
        demo_otp_devices(p.user for p in owners.values())

    def renumber(self, center, windows, window_people):
        """One window was renumbered: its old code shows on records made before."""
        window = windows[-5]
        letter = window.code[0]
        taken = [int(w.code[1:]) for w in windows if w.code[0] == letter]
        new_code = f"{letter}{max(taken) + 1:02d}"
        when = self.now - timedelta(days=60)
        window.versions.update(valid_to=when)
        UnitVersion.objects.create(
            center=center,
            unit=window,
            code=new_code,
            name=window.name,
            department_name=window.department.name,
            valid_from=when,
        )
        window.code = new_code
        window.save(update_fields=["code"])
