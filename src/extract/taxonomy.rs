//! ACLED's event taxonomy, spelled exactly as ACLED spells it.
//!
//! Core types: [`EventType`] (6) and [`SubEventType`] (25). Each sub-type
//! belongs to one type ([`SubEventType::event_type`]). Names round-trip
//! through [`SubEventType::from_name`] so dictionaries in `config/` can use
//! the human spelling.

use serde::Serialize;

/// ACLED's six event types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventType {
    Battles,
    ExplosionsRemoteViolence,
    ViolenceAgainstCivilians,
    Protests,
    Riots,
    StrategicDevelopments,
}

impl EventType {
    pub fn name(self) -> &'static str {
        match self {
            EventType::Battles => "Battles",
            EventType::ExplosionsRemoteViolence => "Explosions/Remote violence",
            EventType::ViolenceAgainstCivilians => "Violence against civilians",
            EventType::Protests => "Protests",
            EventType::Riots => "Riots",
            EventType::StrategicDevelopments => "Strategic developments",
        }
    }
}

impl Serialize for EventType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

macro_rules! sub_events {
    ($( $variant:ident => $name:literal, $ty:ident; )*) => {
        /// ACLED's 25 sub-event types.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum SubEventType { $( $variant, )* }

        impl SubEventType {
            /// Every sub-event type, in ACLED's order.
            pub const ALL: &'static [SubEventType] = &[ $( SubEventType::$variant, )* ];

            /// ACLED's spelling.
            pub fn name(self) -> &'static str {
                match self { $( SubEventType::$variant => $name, )* }
            }

            /// The event type this sub-type belongs to.
            pub fn event_type(self) -> EventType {
                match self { $( SubEventType::$variant => EventType::$ty, )* }
            }

            /// Parse ACLED's spelling (case-insensitive).
            pub fn from_name(s: &str) -> Option<SubEventType> {
                let s = s.trim();
                $( if s.eq_ignore_ascii_case($name) { return Some(SubEventType::$variant); } )*
                None
            }
        }
    };
}

sub_events! {
    ArmedClash => "Armed clash", Battles;
    GovernmentRegainsTerritory => "Government regains territory", Battles;
    NonStateActorOvertakesTerritory => "Non-state actor overtakes territory", Battles;
    ChemicalWeapon => "Chemical weapon", ExplosionsRemoteViolence;
    AirDroneStrike => "Air/drone strike", ExplosionsRemoteViolence;
    SuicideBomb => "Suicide bomb", ExplosionsRemoteViolence;
    ShellingArtilleryMissileAttack => "Shelling/artillery/missile attack", ExplosionsRemoteViolence;
    RemoteExplosiveLandmineIed => "Remote explosive/landmine/IED", ExplosionsRemoteViolence;
    Grenade => "Grenade", ExplosionsRemoteViolence;
    SexualViolence => "Sexual violence", ViolenceAgainstCivilians;
    Attack => "Attack", ViolenceAgainstCivilians;
    AbductionForcedDisappearance => "Abduction/forced disappearance", ViolenceAgainstCivilians;
    PeacefulProtest => "Peaceful protest", Protests;
    ProtestWithIntervention => "Protest with intervention", Protests;
    ExcessiveForceAgainstProtesters => "Excessive force against protesters", Protests;
    ViolentDemonstration => "Violent demonstration", Riots;
    MobViolence => "Mob violence", Riots;
    Agreement => "Agreement", StrategicDevelopments;
    Arrests => "Arrests", StrategicDevelopments;
    ChangeToGroupActivity => "Change to group/activity", StrategicDevelopments;
    DisruptedWeaponsUse => "Disrupted weapons use", StrategicDevelopments;
    HeadquartersOrBaseEstablished => "Headquarters or base established", StrategicDevelopments;
    LootingPropertyDestruction => "Looting/property destruction", StrategicDevelopments;
    NonViolentTransferOfTerritory => "Non-violent transfer of territory", StrategicDevelopments;
    Other => "Other", StrategicDevelopments;
}

impl Serialize for SubEventType {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_five_sub_types_in_six_types() {
        assert_eq!(SubEventType::ALL.len(), 25);
        let mut types: Vec<_> = SubEventType::ALL.iter().map(|s| s.event_type()).collect();
        types.dedup();
        assert_eq!(types.len(), 6);
        for s in SubEventType::ALL {
            assert_eq!(SubEventType::from_name(s.name()), Some(*s));
            assert_eq!(SubEventType::from_name(&s.name().to_uppercase()), Some(*s));
        }
        assert_eq!(SubEventType::AirDroneStrike.event_type().name(), "Explosions/Remote violence");
        assert_eq!(
            serde_json::to_string(&SubEventType::RemoteExplosiveLandmineIed).unwrap(),
            "\"Remote explosive/landmine/IED\""
        );
    }
}
