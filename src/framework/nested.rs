//! Nested blocks declared, not hand-matched: the elements of a repeated block
//! (firewall rules, load-balancer rules and targets) are paired with the API's by
//! what the schema declares, as terraform-plugin-framework does with its
//! semantic-equality types (`StringValuableWithSemanticEquals`, the `cidrtypes`
//! of terraform-plugin-framework-nettypes):
//!
//! - per attribute, what "the same value" means (`Attr::semantic`: a CIDR prefix
//!   where `10.0.0.1` is `10.0.0.1/32`, a set of them, a word in any case) and what
//!   a null means (`Attr::default`, `Attr::default_from`);
//! - per block, which attributes say which element it is (`BlockSpec::identity`)
//!   and, where the meaning spans attributes, a canonical form
//!   (`BlockSpec::meaning`).
//!
//! From these the framework plans a declared block (`plan`: defaults, computed
//! values carried from the unchanged prior element), keeps the user's spelling of
//! every element the API reports with the same meaning after a read or an apply
//! (`reconcile`, called by the resource adapter), and lets a resource pair planned
//! and served elements (`pair`, `settle`, `same_elements`) instead of writing its
//! own matching.

use std::net::IpAddr;

use super::schema::{Attr, BlockSpec, Mode};
use super::validate::parse_ip_or_cidr;
use super::value::{Dyn, Obj};

/// What two values of an attribute have to share to be the same value, beyond
/// their spelling (declared with `Attr::semantic`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Semantic {
    /// A word compared without regard to ASCII case (a uuid, an enum the API
    /// capitalises).
    CaseInsensitive,
    /// An IP address or CIDR prefix: the network it names, so `10.0.0.1` is
    /// `10.0.0.1/32` and `10.0.0.5/24` is `10.0.0.0/24`.
    Cidr,
    /// A list of `Cidr` values that is a set: order, repetitions and spelling do
    /// not matter, and null is the empty set.
    CidrSet,
}

impl Semantic {
    /// The canonical form of `value`: two values mean the same when their forms
    /// are equal. Unknown (or partly unknown) stays unknown; what the semantic
    /// cannot read stays as written, equal only to itself.
    pub fn canonical(self, value: &Dyn) -> Dyn {
        if !value.is_wholly_known() {
            return Dyn::Unknown;
        }
        match (self, value) {
            (Semantic::CaseInsensitive, Dyn::String(s)) => Dyn::String(s.to_ascii_lowercase()),
            (Semantic::Cidr, Dyn::String(s)) => {
                Dyn::String(canonical_cidr(s).unwrap_or_else(|| s.clone()))
            }
            (Semantic::CidrSet, Dyn::Null) => Dyn::List(Vec::new()),
            (Semantic::CidrSet, Dyn::List(items)) => {
                let mut set: Vec<String> = Vec::with_capacity(items.len());
                for item in items {
                    match Semantic::Cidr.canonical(item) {
                        Dyn::String(s) => set.push(s),
                        _ => return value.clone(),
                    }
                }
                set.sort();
                set.dedup();
                Dyn::List(set.into_iter().map(Dyn::String).collect())
            }
            _ => value.clone(),
        }
    }
}

/// The network an IP address or CIDR prefix names, as `address/length` with the
/// host bits cleared; `None` when `text` is neither.
pub fn canonical_cidr(text: &str) -> Option<String> {
    let (ip, len) = parse_ip_or_cidr(text.trim()).ok()?;
    let network = match ip {
        IpAddr::V4(v4) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(len)).unwrap_or(0);
            IpAddr::from((u32::from(v4) & mask).to_be_bytes())
        }
        IpAddr::V6(v6) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(len)).unwrap_or(0);
            IpAddr::from((u128::from(v6) & mask).to_be_bytes())
        }
    };
    Some(format!("{network}/{len}"))
}

/// Which attributes of an element a comparison looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every attribute, computed ones included (an element read back).
    All,
    /// Only what a configuration sets (a configured element against a prior one).
    Configured,
}

impl Scope {
    fn covers(self, attr: &Attr) -> bool {
        self == Scope::All || attr.is_configurable()
    }
}

/// How an element was paired with one of the reference's (the index).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pair {
    /// It means what the reference element says: the same element, unchanged.
    Same(usize),
    /// The same element by its identity (`BlockSpec::identity`), changed.
    Changed(usize),
}

impl Pair {
    /// The reference element's index when the two mean the same.
    pub fn same(self) -> Option<usize> {
        match self {
            Pair::Same(i) => Some(i),
            Pair::Changed(_) => None,
        }
    }
}

/// `element` in its canonical form: nulls given their declared meaning
/// (`Attr::default`, `Attr::default_from`), every attribute's semantic applied,
/// then the block's `meaning`.
pub fn canonical(block: &BlockSpec, element: &Dyn) -> Obj {
    let mut out = with_defaults(block, element);
    for attr in &block.attrs {
        if let (Some(semantic), Some(value)) = (attr.semantic, out.get_mut(attr.name)) {
            *value = semantic.canonical(value);
        }
    }
    if let Some(meaning) = block.meaning {
        meaning(&mut out);
    }
    out
}

/// `element`'s attributes, each null one given its declared default.
fn with_defaults(block: &BlockSpec, element: &Dyn) -> Obj {
    let mut out: Obj = block
        .attrs
        .iter()
        .map(|a| (a.name.to_owned(), element.get(a.name).clone()))
        .collect();
    for attr in &block.attrs {
        if !out.get(attr.name).is_some_and(Dyn::is_null) {
            continue;
        }
        let value = match (&attr.default, attr.default_from) {
            (Some(default), _) => default.clone(),
            (None, Some(sibling)) => out.get(sibling).cloned().unwrap_or_default(),
            (None, None) => continue,
        };
        out.insert(attr.name.to_owned(), value);
    }
    out
}

/// True when `actual` means what `reference` says over `scope`. A value of the
/// reference that is not (wholly) known yet matches anything: the plan left it to
/// the server.
pub fn same(block: &BlockSpec, scope: Scope, reference: &Dyn, actual: &Dyn) -> bool {
    let (r, a) = (canonical(block, reference), canonical(block, actual));
    block
        .attrs
        .iter()
        .filter(|attr| scope.covers(attr))
        .all(|attr| {
            let expected = r.get(attr.name).unwrap_or(&Dyn::Null);
            !expected.is_wholly_known() || Some(expected) == a.get(attr.name)
        })
}

/// True when `a` and `b` are the same element by the block's identity (both known).
pub fn same_identity(block: &BlockSpec, a: &Dyn, b: &Dyn) -> bool {
    if block.identity.is_empty() {
        return false;
    }
    let (a, b) = (canonical(block, a), canonical(block, b));
    block.identity.iter().all(|name| {
        let value = a.get(*name).unwrap_or(&Dyn::Null);
        value.is_wholly_known() && Some(value) == b.get(*name)
    })
}

/// Pairs each element of `actual` with at most one of `reference`, each reference
/// element used once: first elements spelled alike, then elements that mean the
/// same (`same`), then elements of the same identity. One entry per `actual`
/// element, in its order.
pub fn pair(
    block: &BlockSpec,
    scope: Scope,
    reference: &[Dyn],
    actual: &[Dyn],
) -> Vec<Option<Pair>> {
    let mut paired: Vec<Option<Pair>> = vec![None; actual.len()];
    let mut used = vec![false; reference.len()];
    let spelled_alike = |r: &Dyn, a: &Dyn| {
        block
            .attrs
            .iter()
            .filter(|attr| scope.covers(attr))
            .all(|attr| r.get(attr.name) == a.get(attr.name))
    };
    // Spelled alike, then the same meaning, then the same identity.
    for pass in 0..3 {
        let matches = |r: &Dyn, a: &Dyn| match pass {
            0 => spelled_alike(r, a),
            1 => same(block, scope, r, a),
            _ => same_identity(block, r, a),
        };
        let kind = if pass == 2 { Pair::Changed } else { Pair::Same };
        for (i, element) in actual.iter().enumerate() {
            if paired[i].is_some() {
                continue;
            }
            if let Some(j) =
                (0..reference.len()).find(|&j| !used[j] && matches(&reference[j], element))
            {
                used[j] = true;
                paired[i] = Some(kind(j));
            }
        }
    }
    paired
}

/// The elements the API reports (`actual`, in its order) as the state records
/// them: each one that means what an element of `reference` says (the prior state
/// after a read, the plan after an apply) keeps that element's spelling, with the
/// values the reference left unknown taken from the API; any other is recorded as
/// the API has it, so the next plan shows the drift.
pub fn reconcile(block: &BlockSpec, reference: &[Dyn], actual: &[Dyn]) -> Vec<Dyn> {
    pair(block, Scope::All, reference, actual)
        .into_iter()
        .zip(actual)
        .map(|(paired, element)| match paired.and_then(Pair::same) {
            Some(j) => fill_unknowns(&reference[j], element),
            None => element.clone(),
        })
        .collect()
}

/// `reference` with its values that are not wholly known taken from `actual`.
fn fill_unknowns(reference: &Dyn, actual: &Dyn) -> Dyn {
    let Dyn::Object(fields) = reference else {
        return actual.clone();
    };
    let mut out = fields.clone();
    for (name, value) in out.iter_mut() {
        if !value.is_wholly_known() {
            *value = actual.get(name).clone();
        }
    }
    Dyn::Object(out)
}

/// The planned elements of a declared block: each configured element with its
/// defaults (`Attr::default`, `Attr::default_from`) and its other computed values
/// taken from the prior element it is the same as (over what a configuration
/// sets); unknown for a new or changed element.
pub fn plan(block: &BlockSpec, config: &[Dyn], prior: &[Dyn]) -> Vec<Dyn> {
    let planned: Vec<Dyn> = config
        .iter()
        .map(|element| {
            let configured: Obj = block
                .attrs
                .iter()
                .map(|a| {
                    let value = if a.mode == Mode::Computed {
                        Dyn::Null
                    } else {
                        element.get(a.name).clone()
                    };
                    (a.name.to_owned(), value)
                })
                .collect();
            Dyn::Object(with_defaults(block, &Dyn::Object(configured)))
        })
        .collect();
    let paired = pair(block, Scope::Configured, prior, &planned);
    planned
        .into_iter()
        .zip(paired)
        .map(|(element, paired)| {
            let Dyn::Object(mut fields) = element else {
                return element;
            };
            let from = paired.and_then(Pair::same).map(|j| &prior[j]);
            for attr in block.attrs.iter().filter(|a| a.is_computed()) {
                let has_default = attr.default.is_some() || attr.default_from.is_some();
                let unset = fields.get(attr.name).is_none_or(Dyn::is_null);
                if attr.mode == Mode::Computed || (unset && !has_default) {
                    let value = from.map_or(Dyn::Unknown, |p| p.get(attr.name).clone());
                    fields.insert(attr.name.to_owned(), value);
                }
            }
            Dyn::Object(fields)
        })
        .collect()
}

/// After an apply that must hold to the plan: each planned element as planned
/// (Terraform holds the apply to every known value), its unknown values taken
/// from the API's element of the same identity. `Err` names the planned element
/// the API does not report.
pub fn settle<'a>(
    block: &BlockSpec,
    planned: &'a [Dyn],
    actual: &[Dyn],
) -> Result<Vec<Dyn>, &'a Dyn> {
    planned
        .iter()
        .map(|element| {
            if element.is_wholly_known() {
                return Ok(element.clone());
            }
            actual
                .iter()
                .find(|a| same_identity(block, element, a))
                .map(|found| fill_unknowns(element, found))
                .ok_or(element)
        })
        .collect()
}

/// Typed elements of a block (a state struct's block structs, or what an API
/// answer maps to) as the dynamic values `pair`, `same_elements` and `settle`
/// compare: written once for the resources whose blocks are matched.
pub fn elements<T: serde::Serialize>(items: impl IntoIterator<Item = T>) -> Vec<Dyn> {
    items
        .into_iter()
        .map(|item| Dyn::Object(super::typed::to_state(&item)))
        .collect()
}

/// True when `a` and `b` hold the same elements, as a set, over what a
/// configuration sets: what an update has to change.
pub fn same_elements(block: &BlockSpec, a: &[Dyn], b: &[Dyn]) -> bool {
    a.len() == b.len()
        && pair(block, Scope::Configured, a, b)
            .iter()
            .all(|p| matches!(p, Some(Pair::Same(_))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::schema::{Nesting, Ty};
    use crate::obj;

    fn cidr(text: &str) -> Dyn {
        Semantic::Cidr.canonical(&Dyn::str(text))
    }

    fn strings(items: &[&str]) -> Dyn {
        Dyn::List(items.iter().map(|s| Dyn::str(*s)).collect())
    }

    #[test]
    fn cidr_prefixes_compare_by_the_network_they_name() {
        assert_eq!(canonical_cidr("10.0.0.1"), canonical_cidr("10.0.0.1/32"));
        assert_eq!(canonical_cidr("10.0.0.5/24"), canonical_cidr("10.0.0.0/24"));
        assert_ne!(canonical_cidr("10.0.0.0/24"), canonical_cidr("10.0.0.0/25"));
        assert_eq!(
            canonical_cidr("2001:db8::1"),
            canonical_cidr("2001:db8::1/128")
        );
        assert_eq!(canonical_cidr("0.0.0.0/0"), canonical_cidr("1.2.3.4/0"));
        assert_eq!(canonical_cidr(" 10.0.0.1 "), Some("10.0.0.1/32".to_owned()));
        assert_eq!(canonical_cidr("10.0.0.0/33"), None);
        assert_eq!(canonical_cidr("not-an-ip"), None);
        // What cannot be read equals only itself.
        assert_eq!(cidr("not-an-ip"), Dyn::str("not-an-ip"));
        assert_ne!(cidr("10.0.0.1"), cidr("10.0.0.2"));
        assert_eq!(cidr("10.0.0.1"), cidr("10.0.0.1/32"));
        assert_eq!(Semantic::Cidr.canonical(&Dyn::Unknown), Dyn::Unknown);
    }

    #[test]
    fn a_cidr_set_ignores_order_repetition_spelling_and_null() {
        let set = |items: &[&str]| Semantic::CidrSet.canonical(&strings(items));
        assert_eq!(
            set(&["10.1.0.0/16", "10.0.0.1"]),
            set(&["10.0.0.1/32", "10.1.0.0/16", "10.0.0.1"])
        );
        assert_ne!(set(&["10.0.0.1"]), set(&["10.0.0.1", "10.0.0.2"]));
        assert_eq!(Semantic::CidrSet.canonical(&Dyn::Null), set(&[]));
        assert_eq!(
            Semantic::CidrSet.canonical(&Dyn::List(vec![Dyn::str("10.0.0.1"), Dyn::Unknown])),
            Dyn::Unknown
        );
        assert_eq!(
            Semantic::CaseInsensitive.canonical(&Dyn::str("TCP")),
            Dyn::str("tcp")
        );
    }

    /// A block declared the way resources declare theirs: an identity, semantics,
    /// defaults, a computed value and a cross-attribute meaning.
    fn block() -> BlockSpec {
        BlockSpec::new(
            "rule",
            Nesting::Set,
            vec![
                Attr::required("kind", Ty::String).semantic(Semantic::CaseInsensitive),
                Attr::optional("start", Ty::Number),
                Attr::optional_computed("end", Ty::Number).default_from("start"),
                Attr::optional("prefixes", Ty::list(Ty::String)).semantic(Semantic::CidrSet),
                Attr::optional_computed("mode", Ty::String).default("plain"),
                Attr::computed("uuid", Ty::String),
            ],
        )
        .identity(&["kind", "start"])
        .meaning(|element| {
            // "any" has no ports.
            if element.get("kind") == Some(&Dyn::str("any")) {
                element.insert("start".into(), Dyn::Null);
                element.insert("end".into(), Dyn::Null);
            }
        })
    }

    fn element(kind: &str, start: Dyn, end: Dyn, prefixes: Dyn, uuid: Dyn) -> Dyn {
        Dyn::Object(obj! {
            "kind" => kind, "start" => start, "end" => end, "prefixes" => prefixes,
            "mode" => "plain", "uuid" => uuid,
        })
    }

    /// An element with a whole port range and no prefixes.
    fn ports(kind: &str, start: i64, end: i64, uuid: Dyn) -> Dyn {
        element(kind, Dyn::int(start), Dyn::int(end), Dyn::Null, uuid)
    }

    /// An element with a whole port range from these prefixes.
    fn from_prefixes(kind: &str, start: i64, end: i64, prefixes: &[&str], uuid: Dyn) -> Dyn {
        element(
            kind,
            Dyn::int(start),
            Dyn::int(end),
            strings(prefixes),
            uuid,
        )
    }

    #[test]
    fn elements_compare_by_their_declared_meaning() {
        let b = block();
        let written = element(
            "TCP",
            Dyn::int(22),
            Dyn::Null,
            strings(&["10.0.0.1"]),
            Dyn::Null,
        );
        let served = from_prefixes("tcp", 22, 22, &["10.0.0.1/32", "10.0.0.1"], Dyn::str("u-1"));
        assert!(same(&b, Scope::Configured, &written, &served));
        // The uuid counts once every attribute is compared (null is not "u-1").
        assert!(!same(&b, Scope::All, &written, &served));
        let wider = ports("tcp", 22, 23, Dyn::Null);
        let one = element("tcp", Dyn::int(22), Dyn::Null, Dyn::Null, Dyn::Null);
        assert!(!same(&b, Scope::Configured, &one, &wider));
        // Unknown in the reference: left to the server, matches anything.
        let open = element("tcp", Dyn::int(22), Dyn::Unknown, Dyn::Null, Dyn::Unknown);
        assert!(same(&b, Scope::All, &open, &wider));
        assert!(
            !same(&b, Scope::All, &wider, &open),
            "only the reference's unknowns match"
        );
        // The block's own meaning: ports of "any" do not matter.
        let any = ports("any", 1, 2, Dyn::Null);
        let bare = element("ANY", Dyn::Null, Dyn::Null, Dyn::Null, Dyn::Null);
        assert!(same(&b, Scope::All, &any, &bare));
        assert!(same_identity(&b, &written, &wider));
        assert!(!same_identity(&b, &written, &any));
    }

    #[test]
    fn reconcile_keeps_the_reference_spelling_and_reports_drift() {
        let b = block();
        let prior = vec![
            from_prefixes("tcp", 22, 22, &["10.0.0.1"], Dyn::str("a")),
            ports("tcp", 80, 80, Dyn::str("b")),
            element("udp", Dyn::int(53), Dyn::Unknown, Dyn::Null, Dyn::Unknown),
        ];
        let served = vec![
            from_prefixes("udp", 53, 53, &[], Dyn::str("c")),
            from_prefixes("TCP", 22, 22, &["10.0.0.1/32"], Dyn::str("a")),
            ports("tcp", 80, 81, Dyn::str("b")),
        ];
        let got = reconcile(&b, &prior, &served);
        // Same meaning: the prior spelling, unknowns filled from the server.
        assert_eq!(got[0], ports("udp", 53, 53, Dyn::str("c")));
        assert_eq!(got[1], prior[0]);
        // Drift: as served.
        assert_eq!(got[2], served[2]);
        assert_eq!(
            pair(&b, Scope::All, &prior, &served),
            vec![
                Some(Pair::Same(2)),
                Some(Pair::Same(0)),
                Some(Pair::Changed(1))
            ]
        );
    }

    #[test]
    fn spelled_alike_pairs_first() {
        let b = block();
        let prior = vec![
            from_prefixes("tcp", 22, 22, &["10.0.0.1/32"], Dyn::Null),
            from_prefixes("tcp", 22, 22, &["10.0.0.1"], Dyn::Null),
        ];
        let served = vec![prior[1].clone(), prior[0].clone()];
        assert_eq!(
            pair(&b, Scope::All, &prior, &served),
            vec![Some(Pair::Same(1)), Some(Pair::Same(0))]
        );
    }

    #[test]
    fn plan_fills_defaults_and_carries_computed_values_of_unchanged_elements() {
        let b = block();
        let config = vec![
            Dyn::Object(obj! {"kind" => "tcp", "start" => Dyn::int(22)}),
            Dyn::Object(obj! {"kind" => "tcp", "start" => Dyn::int(80), "end" => Dyn::int(90)}),
            Dyn::Object(obj! {"kind" => "tcp", "start" => Dyn::Unknown}),
        ];
        let prior = vec![
            ports("tcp", 22, 22, Dyn::str("u-22")),
            ports("tcp", 80, 85, Dyn::str("u-80")),
        ];
        let planned = plan(&b, &config, &prior);
        // Unchanged: the prior uuid.
        assert_eq!(planned[0], prior[0]);
        // Changed (another end): the uuid is the server's to give.
        assert_eq!(planned[1], ports("tcp", 80, 90, Dyn::Unknown));
        // default_from follows its sibling, unknown included.
        assert_eq!(planned[2].get("end"), &Dyn::Unknown);
        assert_eq!(planned[2].get("mode"), &Dyn::str("plain"));
        let nothing = plan(&b, &[Dyn::Object(obj! {"kind" => "tcp"})], &[]);
        assert_eq!(nothing[0].get("end"), &Dyn::Null);
    }

    #[test]
    fn settle_holds_to_the_plan_and_fills_unknowns_by_identity() {
        let b = block();
        let planned = vec![
            ports("tcp", 22, 22, Dyn::str("u-22")),
            ports("tcp", 80, 80, Dyn::Unknown),
        ];
        let served = vec![
            ports("tcp", 80, 8080, Dyn::str("u-80")),
            ports("tcp", 22, 22, Dyn::str("other")),
        ];
        let got = settle(&b, &planned, &served).unwrap();
        assert_eq!(got[0], planned[0]);
        assert_eq!(got[1], ports("tcp", 80, 80, Dyn::str("u-80")));
        assert_eq!(settle(&b, &planned, &served[1..]), Err(&planned[1]));
    }

    #[test]
    fn same_elements_is_set_equality_over_the_configuration() {
        let b = block();
        let x = ports("tcp", 22, 22, Dyn::str("a"));
        let y = ports("udp", 53, 53, Dyn::Null);
        assert!(same_elements(
            &b,
            &[x.clone(), y.clone()],
            &[y.clone(), x.clone()]
        ));
        assert!(!same_elements(
            &b,
            &[x.clone(), y.clone()],
            &[x.clone(), x.clone()]
        ));
        assert!(!same_elements(
            &b,
            std::slice::from_ref(&x),
            &[x.clone(), y]
        ));
    }
}
