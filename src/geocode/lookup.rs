//! What a postal code names: the trait the quality checks ask through (`quality::PostalLookup`),
//! answered by the gazetteer or by a plain map.
use super::{Gazetteer, PostalCode};
use std::collections::{BTreeMap, HashMap};

/// Finds the municipality a postal code belongs to (e.g. from the offline gazetteer).
pub trait PostalLookup {
    /// The municipality code (DICO) and the locality of a postal code (`NNNN-NNN`), if known.
    fn municipality_of(&self, postal_code: &str) -> Option<(String, String)>;
}

impl PostalLookup for HashMap<String, (String, String)> {
    fn municipality_of(&self, postal_code: &str) -> Option<(String, String)> {
        self.get(postal_code).cloned()
    }
}

impl PostalLookup for BTreeMap<String, (String, String)> {
    fn municipality_of(&self, postal_code: &str) -> Option<(String, String)> {
        self.get(postal_code).cloned()
    }
}

impl PostalLookup for Gazetteer {
    fn municipality_of(&self, postal_code: &str) -> Option<(String, String)> {
        // Only a whole code names one municipality; a CP4 area may span several.
        PostalCode::parse(postal_code)?.cp3?;
        self.postal_code(postal_code)
            .map(|e| (e.municipality, e.locality))
    }
}
