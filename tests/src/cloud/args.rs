//! Reading a call's parameters in their wire form: scalars, `Name.N`
//! lists, `Name.N.Field` items, `Name.Field` objects, JSON-list strings and
//! tags. The gateway has already checked names and types against the
//! metadata, so a value that does not parse here is treated as absent.

use serde_json::Value;

/// A call's parameters, or the part of them under one prefix.
#[derive(Debug, Clone, Default)]
pub struct Args<'a> {
    pairs: Vec<(&'a str, &'a str)>,
}

impl<'a> Args<'a> {
    pub fn new(params: &'a [(String, String)]) -> Args<'a> {
        Args {
            pairs: params
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect(),
        }
    }

    /// Every name and value, e.g. to fingerprint a call.
    pub fn pairs(&self) -> &[(&'a str, &'a str)] {
        &self.pairs
    }

    /// The value of `name`; an empty value counts as absent, as the service
    /// treats it.
    pub fn str(&self, name: &str) -> Option<&'a str> {
        self.pairs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| *v)
            .filter(|v| !v.is_empty())
    }

    pub fn string(&self, name: &str) -> Option<String> {
        self.str(name).map(str::to_string)
    }

    pub fn string_or(&self, name: &str, default: &str) -> String {
        self.str(name).unwrap_or(default).to_string()
    }

    pub fn bool(&self, name: &str) -> Option<bool> {
        self.str(name).and_then(|v| match v {
            "true" | "True" => Some(true),
            "false" | "False" => Some(false),
            _ => None,
        })
    }

    pub fn flag(&self, name: &str) -> bool {
        self.bool(name).unwrap_or(false)
    }

    pub fn int(&self, name: &str) -> Option<i64> {
        self.str(name).and_then(|v| v.trim().parse().ok())
    }

    pub fn num(&self, name: &str) -> Option<f64> {
        self.str(name).and_then(|v| v.trim().parse().ok())
    }

    /// `Name.1`, `Name.2`, ... in index order.
    pub fn list(&self, name: &str) -> Vec<&'a str> {
        let mut items: Vec<(u64, &'a str)> = self
            .pairs
            .iter()
            .filter_map(|(k, v)| {
                let index = k.strip_prefix(name)?.strip_prefix('.')?;
                Some((index.parse().ok()?, *v))
            })
            .filter(|(_, v)| !v.is_empty())
            .collect();
        items.sort_by_key(|(i, _)| *i);
        items.into_iter().map(|(_, v)| v).collect()
    }

    /// A string parameter holding a JSON list (`InstanceIds=["i-1","i-2"]`);
    /// `None` when absent.
    pub fn json_list(&self, name: &str) -> Option<Vec<String>> {
        let value: Value = serde_json::from_str(self.str(name)?).ok()?;
        Some(
            value
                .as_array()?
                .iter()
                .filter_map(|v| match v {
                    Value::String(s) => Some(s.clone()),
                    Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
                .collect(),
        )
    }

    /// A comma-separated list (`ImageId=m-1,m-2`); `None` when absent.
    pub fn comma_list(&self, name: &str) -> Option<Vec<String>> {
        Some(
            self.str(name)?
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        )
    }

    /// The fields under `Name.`, named without the prefix.
    pub fn object(&self, name: &str) -> Args<'a> {
        let prefix = format!("{name}.");
        Args {
            pairs: self
                .pairs
                .iter()
                .filter_map(|(k, v)| Some((k.strip_prefix(prefix.as_str())?, *v)))
                .collect(),
        }
    }

    /// `Name.N.Field` items, each as its own [`Args`], in index order.
    pub fn items(&self, name: &str) -> Vec<Args<'a>> {
        let under = self.object(name);
        let mut indices: Vec<u64> = under
            .pairs
            .iter()
            .filter_map(|(k, _)| k.split('.').next()?.parse().ok())
            .collect();
        indices.sort_unstable();
        indices.dedup();
        indices
            .into_iter()
            .map(|i| under.object(&i.to_string()))
            .collect()
    }

    /// `Name.N.Key` / `Name.N.Value` pairs (the legacy lowercase `key` and
    /// `value` too), keys present.
    pub fn tags(&self, name: &str) -> Vec<(String, String)> {
        self.items(name)
            .iter()
            .filter_map(|t| {
                let key = t.str("Key").or(t.str("key"))?;
                let value = t.str("Value").or(t.str("value")).unwrap_or("");
                Some((key.to_string(), value.to_string()))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn reads_lists_items_objects_and_tags_in_index_order() {
        let p = params(&[
            ("SecurityGroupIds.2", "sg-b"),
            ("SecurityGroupIds.1", "sg-a"),
            ("DataDisk.10.Size", "100"),
            ("DataDisk.2.Size", "40"),
            ("DataDisk.2.Category", "cloud_essd"),
            ("NetworkInterface.1.SecurityGroupIds.1", "sg-c"),
            ("SystemDisk.Category", "cloud_auto"),
            ("Tag.1.Key", "team"),
            ("Tag.1.Value", "sdk"),
            ("Tag.2.key", "env"),
            ("InstanceIds", "[\"i-1\",\"i-2\"]"),
            ("Empty", ""),
        ]);
        let a = Args::new(&p);
        assert_eq!(a.list("SecurityGroupIds"), ["sg-a", "sg-b"]);
        let disks = a.items("DataDisk");
        assert_eq!(disks.len(), 2);
        assert_eq!(disks[0].str("Category"), Some("cloud_essd"));
        assert_eq!(disks[1].int("Size"), Some(100));
        assert_eq!(
            a.items("NetworkInterface")[0].list("SecurityGroupIds"),
            ["sg-c"]
        );
        assert_eq!(a.object("SystemDisk").str("Category"), Some("cloud_auto"));
        assert_eq!(
            a.tags("Tag"),
            [("team".into(), "sdk".into()), ("env".into(), String::new())]
        );
        assert_eq!(
            a.json_list("InstanceIds"),
            Some(vec!["i-1".into(), "i-2".into()])
        );
        assert_eq!(a.str("Empty"), None);
    }
}
