//! Open311 GeoReport v2 XML: the same answer as the JSON one, written as the specification's
//! XML documents (`<services><service>…`, `<service_requests><request>…`,
//! `<service_definition><attributes><attribute>…`, `<discovery><endpoints><endpoint>…`,
//! `<errors><error>…`). Built from the JSON value of the view, so the two formats cannot
//! drift apart: an object's keys become elements, a list becomes its element with one child
//! per item named by [`item_name`], in the views' field order; absent (`null`) values are
//! left out. Written with quick-xml, which escapes text.

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Serialize;

/// The `Content-Type` of every XML answer.
pub const CONTENT_TYPE: &str = "text/xml; charset=utf-8";

/// The element of one item of the list element `list` (GeoReport v2 names).
pub fn item_name(list: &str) -> &'static str {
    match list {
        "services" => "service",
        "service_requests" => "request",
        "errors" => "error",
        "attributes" => "attribute",
        "values" => "value",
        "endpoints" => "endpoint",
        "formats" => "format",
        _ => "item",
    }
}

/// A JSON value with its object keys in the order they were written (a view's fields in
/// their declared order, as the specification lists them).
enum Node {
    Null,
    Text(String),
    List(Vec<Node>),
    Fields(Vec<(String, Node)>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Node;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_unit<E>(self) -> Result<Node, E> {
                Ok(Node::Null)
            }
            fn visit_none<E>(self) -> Result<Node, E> {
                Ok(Node::Null)
            }
            fn visit_bool<E>(self, b: bool) -> Result<Node, E> {
                Ok(Node::Text(if b { "true" } else { "false" }.into()))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Node, E> {
                Ok(Node::Text(n.to_string()))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Node, E> {
                Ok(Node::Text(n.to_string()))
            }
            fn visit_f64<E>(self, n: f64) -> Result<Node, E> {
                Ok(Node::Text(n.to_string()))
            }
            fn visit_str<E>(self, s: &str) -> Result<Node, E> {
                Ok(Node::Text(s.to_owned()))
            }
            fn visit_string<E>(self, s: String) -> Result<Node, E> {
                Ok(Node::Text(s))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Node, A::Error> {
                let mut items = vec![];
                while let Some(n) = a.next_element()? {
                    items.push(n);
                }
                Ok(Node::List(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Node, A::Error> {
                let mut fields = vec![];
                while let Some((k, v)) = a.next_entry::<String, Node>()? {
                    fields.push((k, v));
                }
                Ok(Node::Fields(fields))
            }
        }
        d.deserialize_any(V)
    }
}

/// `body` as an XML document whose root element is `root`.
pub fn document(root: &str, body: &impl Serialize) -> std::io::Result<String> {
    let json = serde_json::to_vec(body).map_err(std::io::Error::other)?;
    let node: Node = serde_json::from_slice(&json).map_err(std::io::Error::other)?;
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    element(&mut w, root, &node)?;
    String::from_utf8(w.into_inner()).map_err(std::io::Error::other)
}

fn element(w: &mut Writer<Vec<u8>>, name: &str, node: &Node) -> std::io::Result<()> {
    match node {
        Node::Null => Ok(()),
        Node::Fields(fields) => {
            w.write_event(Event::Start(BytesStart::new(name)))?;
            for (k, v) in fields {
                element(w, k, v)?;
            }
            w.write_event(Event::End(BytesEnd::new(name)))
        }
        Node::List(items) => {
            w.write_event(Event::Start(BytesStart::new(name)))?;
            let item = item_name(name);
            for v in items {
                element(w, item, v)?;
            }
            w.write_event(Event::End(BytesEnd::new(name)))
        }
        Node::Text(s) => w
            .create_element(name)
            .write_text_content(BytesText::new(s))
            .map(|_| ()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Serialize)]
    struct Definition {
        service_code: &'static str,
        note: Option<&'static str>,
        attributes: serde_json::Value,
    }

    #[test]
    fn fields_keep_their_order_lists_nest_under_item_names_and_text_is_escaped() {
        let doc = document(
            "service_definition",
            &Definition {
                service_code: "H01.04",
                note: None,
                attributes: json!([{"code": "a<&>\"'", "required": true, "values": [{"key": "k", "name": "Ç"}]}]),
            },
        )
        .unwrap();
        assert!(doc.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
        let flat: String = doc.split_whitespace().collect();
        assert!(flat.contains("<service_definition><service_code>H01.04</service_code><attributes><attribute><code>a&lt;&amp;&gt;&quot;&apos;</code><required>true</required><values><value><key>k</key><name>Ç</name></value></values></attribute></attributes></service_definition>"), "{doc}");
        assert!(!doc.contains("note"));
        let errors = document("errors", &json!([{"code": 400, "description": "x"}])).unwrap();
        let flat: String = errors.split_whitespace().collect();
        assert!(flat.ends_with(
            "<errors><error><code>400</code><description>x</description></error></errors>"
        ));
    }
}
