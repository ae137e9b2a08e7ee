//! Reference data the synthetic export is drawn from: Jinan's districts with their area codes and
//! minimum wages, the training catalogue (real occupation codes of the national occupation
//! classification), assessment fees, assessment bodies and the words institution names are made of.
//!
//! Kept apart so that a reader can check the realism of the sample in one place, and so that the
//! truth file's minimum-wage table comes from the very numbers the generator used for its caps.

/// A district or county (区县) of Jinan.
#[derive(Debug, Clone, Copy)]
pub struct District {
    pub name: &'static str,
    /// First six digits of ID numbers issued there (GB/T 2260).
    pub area_code: &'static str,
    /// Monthly minimum wage in fen (policy default; the living-allowance cap is 60% of it).
    pub minimum_wage_fen: i64,
    /// Relative share of institutions and trainees: the urban districts train most.
    pub weight: u32,
}

pub const DISTRICTS: [District; 12] = [
    District { name: "历下区", area_code: "370102", minimum_wage_fen: 220_000, weight: 10 },
    District { name: "市中区", area_code: "370103", minimum_wage_fen: 220_000, weight: 10 },
    District { name: "槐荫区", area_code: "370104", minimum_wage_fen: 220_000, weight: 8 },
    District { name: "天桥区", area_code: "370105", minimum_wage_fen: 220_000, weight: 8 },
    District { name: "历城区", area_code: "370112", minimum_wage_fen: 220_000, weight: 12 },
    District { name: "长清区", area_code: "370113", minimum_wage_fen: 220_000, weight: 5 },
    District { name: "章丘区", area_code: "370114", minimum_wage_fen: 220_000, weight: 6 },
    District { name: "济阳区", area_code: "370115", minimum_wage_fen: 201_000, weight: 4 },
    District { name: "莱芜区", area_code: "370116", minimum_wage_fen: 201_000, weight: 5 },
    District { name: "钢城区", area_code: "370117", minimum_wage_fen: 201_000, weight: 2 },
    District { name: "平阴县", area_code: "370124", minimum_wage_fen: 201_000, weight: 2 },
    District { name: "商河县", area_code: "370126", minimum_wage_fen: 201_000, weight: 2 },
];

/// Area codes of people who come to Jinan from elsewhere (group `nonlocal_domestic`): Heze,
/// Liaocheng, Dezhou, Linyi, Zhengzhou, Shangqiu, Handan.
pub const NONLOCAL_AREA_CODES: [&str; 7] = ["371702", "371502", "371402", "371302", "410102", "411402", "130402"];

/// Living-allowance cap per day in fen: 60% of the district minimum wage ÷ 30. With the default
/// wages this is exact (4400 and 4020 fen), so no rounding is involved per day.
pub fn allowance_per_day_fen(district: usize) -> i64 {
    DISTRICTS[district].minimum_wage_fen * 60 / 100 / 30
}

/// Cap for `days` allowed days, rounded half-up to the fen as the policy says.
pub fn allowance_cap_fen(district: usize, days: i64) -> i64 {
    let numerator = DISTRICTS[district].minimum_wage_fen as i128 * 60 * days as i128;
    let denominator = 100i128 * 30;
    ((2 * numerator + denominator) / (2 * denominator)) as i64
}

/// One entry of the training catalogue.
#[derive(Debug, Clone, Copy)]
pub struct Occupation {
    pub code: &'static str,
    pub name: &'static str,
    /// On Jinan's key-industry / shortage list: appraisal subsidy 90% instead of 80%.
    pub key_industry: bool,
    /// Levels the catalogue offers, most common first (5 初级工 … 1 高级技师; 0 = no level).
    pub levels: &'static [u8],
    /// Only taught in a classroom or workshop (no online mode).
    pub hands_on: bool,
}

/// Occupations of the 2022 national occupation classification (职业分类大典) that Jinan's
/// catalogue subsidises, with codes as published in the national skill standards.
pub const OCCUPATIONS: [Occupation; 15] = [
    Occupation { code: "4-10-01-02", name: "育婴员", key_industry: true, levels: &[5, 4, 3], hands_on: false },
    Occupation { code: "4-10-01-03", name: "保育师", key_industry: false, levels: &[5, 4, 3], hands_on: false },
    Occupation {
        code: "4-10-01-05", name: "养老护理员", key_industry: true, levels: &[5, 4, 3, 2], hands_on: true
    },
    Occupation { code: "4-10-01-06", name: "家政服务员", key_industry: true, levels: &[5, 4, 3], hands_on: true },
    Occupation {
        code: "4-03-02-01",
        name: "中式烹调师",
        key_industry: false,
        levels: &[5, 4, 3, 2, 1],
        hands_on: true,
    },
    Occupation { code: "4-03-02-02", name: "中式面点师", key_industry: false, levels: &[5, 4, 3], hands_on: true },
    Occupation { code: "4-03-02-04", name: "西式面点师", key_industry: false, levels: &[5, 4, 3], hands_on: true },
    Occupation { code: "4-03-02-07", name: "茶艺师", key_industry: false, levels: &[5, 4, 3], hands_on: true },
    Occupation {
        code: "4-01-02-02", name: "电子商务师", key_industry: false, levels: &[5, 4, 3], hands_on: false
    },
    Occupation {
        code: "4-01-02-07", name: "互联网营销师", key_industry: false, levels: &[5, 4, 3], hands_on: false
    },
    Occupation { code: "4-14-02-02", name: "健康管理师", key_industry: false, levels: &[3, 2], hands_on: false },
    Occupation {
        code: "4-12-01-01", name: "汽车维修工", key_industry: true, levels: &[5, 4, 3, 2], hands_on: true
    },
    Occupation { code: "6-31-01-03", name: "电工", key_industry: true, levels: &[5, 4, 3, 2, 1], hands_on: true },
    Occupation { code: "6-18-02-04", name: "焊工", key_industry: true, levels: &[5, 4, 3, 2, 1], hands_on: true },
    Occupation {
        code: "4-04-05-05", name: "人工智能训练师", key_industry: true, levels: &[5, 4, 3], hands_on: false
    },
];

/// Entrepreneurship courses have no occupation level (level 0) and no skill assessment; the
/// codes are the bureau's own project codes, not occupation codes.
pub const ENTREPRENEURSHIP: [Occupation; 2] = [
    Occupation { code: "CY-SYB", name: "创业培训（SYB）", key_industry: false, levels: &[0], hands_on: false },
    Occupation { code: "CY-WLCY", name: "网络创业培训", key_industry: false, levels: &[0], hands_on: false },
];

/// The catalogue entry of an occupation index: 0.. are `OCCUPATIONS`, then `ENTREPRENEURSHIP`.
pub fn occupation(index: usize) -> &'static Occupation {
    if index < OCCUPATIONS.len() {
        &OCCUPATIONS[index]
    } else {
        &ENTREPRENEURSHIP[index - OCCUPATIONS.len()]
    }
}

/// Assessment fee standard per level, in fen (level 5 初级 … level 1 高级技师).
pub fn assessment_fee_fen(level: u8) -> i64 {
    match level {
        5 => 30_000,
        4 => 50_000,
        3 => 80_000,
        2 => 100_000,
        _ => 120_000,
    }
}

/// Subsidy standards per head the catalogue uses for a level, in fen.
pub fn subsidy_choices_fen(level: u8) -> &'static [i64] {
    match level {
        0 => &[100_000, 120_000, 150_000],
        5 => &[80_000, 100_000, 120_000, 150_000],
        4 => &[120_000, 150_000, 180_000, 200_000],
        3 => &[180_000, 200_000, 240_000, 250_000],
        _ => &[250_000, 280_000, 300_000],
    }
}

/// Planned hours range per level.
pub fn planned_hours_range(level: u8) -> (u16, u16) {
    match level {
        0 => (40, 80),
        5 => (40, 80),
        4 => (60, 120),
        3 => (100, 160),
        _ => (120, 160),
    }
}

/// Third-party assessment bodies (评价机构) active in Jinan.
pub const ASSESSORS: [&str; 8] = [
    "Y000037010001",
    "Y000037010002",
    "Y000037010003",
    "Y000037010004",
    "Y000037010005",
    "Y000037010006",
    "Y000037010007",
    "Y000037010008",
];

/// Words institution names are built from (place names and trade names around Jinan).
pub const NAME_WORDS: [&str; 60] = [
    "泉城",
    "明湖",
    "舜耕",
    "华山",
    "千佛山",
    "趵突",
    "黑虎",
    "齐鲁",
    "鹊华",
    "历山",
    "大明",
    "鼎泰",
    "恒昌",
    "博远",
    "锦程",
    "汇才",
    "匠心",
    "启航",
    "德润",
    "嘉禾",
    "鲁信",
    "金鼎",
    "盛华",
    "新航",
    "众诚",
    "同创",
    "卓越",
    "天成",
    "弘毅",
    "致远",
    "优才",
    "蓝海",
    "绿洲",
    "华夏",
    "东岳",
    "章华",
    "莱城",
    "钢都",
    "平原",
    "清河",
    "济泺",
    "北园",
    "燕山",
    "玉函",
    "英雄山",
    "七里山",
    "柳埠",
    "仲宫",
    "龙山",
    "唐冶",
    "孙村",
    "彩石",
    "稼轩",
    "易安",
    "闵子",
    "舜华",
    "凤凰",
    "雪野",
    "莲台",
    "佛慧",
];

/// The five kinds of institution the contract knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    VocationalCollege,
    TechnicalSchool,
    PrivateTraining,
    EnterpriseCenter,
    PublicBase,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::VocationalCollege => "vocational_college",
            Kind::TechnicalSchool => "technical_school",
            Kind::PrivateTraining => "private_training",
            Kind::EnterpriseCenter => "enterprise_center",
            Kind::PublicBase => "public_base",
        }
    }

    /// A registered name for this kind; `word` makes it unique, `district` places it.
    pub fn institution_name(self, word: &str, district: &str, variant: usize) -> String {
        let district_short = district.trim_end_matches(['区', '县']);
        match (self, variant % 2) {
            (Kind::VocationalCollege, 0) => format!("济南{word}职业学院"),
            (Kind::VocationalCollege, _) => format!("山东{word}职业技术学院"),
            (Kind::TechnicalSchool, 0) => format!("济南市{word}技工学校"),
            (Kind::TechnicalSchool, _) => format!("济南{district_short}{word}技师学院"),
            (Kind::PrivateTraining, 0) => format!("济南{word}职业培训学校"),
            (Kind::PrivateTraining, _) => format!("济南市{district}{word}职业技能培训学校有限公司"),
            (Kind::EnterpriseCenter, 0) => format!("山东{word}集团有限公司职工培训中心"),
            (Kind::EnterpriseCenter, _) => format!("济南{word}实业有限公司培训中心"),
            (Kind::PublicBase, 0) => format!("济南市{district}{word}公共实训基地"),
            (Kind::PublicBase, _) => format!("{district}{word}公共职业技能实训基地"),
        }
    }
}

/// Training categories of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    Reserve,
    Employment,
    Upgrading,
    Reemployment,
    Entrepreneurship,
    Apprenticeship,
}

impl Category {
    pub fn name(self) -> &'static str {
        match self {
            Category::Reserve => "reserve",
            Category::Employment => "employment",
            Category::Upgrading => "upgrading",
            Category::Reemployment => "reemployment",
            Category::Entrepreneurship => "entrepreneurship",
            Category::Apprenticeship => "apprenticeship",
        }
    }

    /// Trainees of this category already hold a job (contributions before and after training).
    pub fn trainees_employed(self) -> bool {
        matches!(self, Category::Upgrading | Category::Apprenticeship)
    }
}

/// Teaching modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Offline,
    Online,
    Blended,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Offline => "offline",
            Mode::Online => "online",
            Mode::Blended => "blended",
        }
    }
}

/// Trainee groups; `Retiree` is not in the contract and exists only to be rejected on read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Unemployed,
    RuralMigrant,
    Veteran,
    PovertyRegistered,
    LowIncome,
    SchoolLeaver,
    Graduate,
    Student,
    Employee,
    Disabled,
    NonlocalDomestic,
    Other,
    Retiree,
}

impl Group {
    pub fn name(self) -> &'static str {
        match self {
            Group::Unemployed => "unemployed",
            Group::RuralMigrant => "rural_migrant",
            Group::Veteran => "veteran",
            Group::PovertyRegistered => "poverty_registered",
            Group::LowIncome => "low_income",
            Group::SchoolLeaver => "school_leaver",
            Group::Graduate => "graduate",
            Group::Student => "student",
            Group::Employee => "employee",
            Group::Disabled => "disabled",
            Group::NonlocalDomestic => "nonlocal_domestic",
            Group::Other => "other",
            Group::Retiree => "retiree",
        }
    }

    /// Groups entitled to a living allowance (policy R08).
    pub fn allowance_eligible(self) -> bool {
        matches!(self, Group::SchoolLeaver | Group::PovertyRegistered | Group::LowIncome | Group::Veteran)
    }

    /// Plausible age range in years for a member of the group.
    pub fn age_range(self) -> (i32, i32) {
        match self {
            Group::SchoolLeaver => (18, 20),
            Group::Student => (18, 22),
            Group::Graduate => (21, 26),
            Group::Veteran => (22, 40),
            Group::Employee => (22, 52),
            _ => (20, 55),
        }
    }

    /// Groups that make up the intake of a class of this category, with weights.
    pub fn intake(category: Category) -> &'static [(Group, u32)] {
        match category {
            Category::Reserve => {
                &[(Group::Student, 45), (Group::SchoolLeaver, 30), (Group::Graduate, 20), (Group::Other, 5)]
            }
            Category::Employment => &[
                (Group::Unemployed, 30),
                (Group::RuralMigrant, 20),
                (Group::NonlocalDomestic, 12),
                (Group::Graduate, 10),
                (Group::SchoolLeaver, 6),
                (Group::PovertyRegistered, 5),
                (Group::LowIncome, 5),
                (Group::Veteran, 3),
                (Group::Disabled, 3),
                (Group::Other, 6),
            ],
            Category::Upgrading | Category::Apprenticeship => {
                &[(Group::Employee, 90), (Group::RuralMigrant, 6), (Group::Other, 4)]
            }
            Category::Reemployment => &[
                (Group::Unemployed, 45),
                (Group::LowIncome, 12),
                (Group::PovertyRegistered, 10),
                (Group::Veteran, 8),
                (Group::Disabled, 8),
                (Group::RuralMigrant, 12),
                (Group::Other, 5),
            ],
            Category::Entrepreneurship => &[
                (Group::Unemployed, 30),
                (Group::Graduate, 25),
                (Group::RuralMigrant, 20),
                (Group::Veteran, 8),
                (Group::Other, 17),
            ],
        }
    }
}
