//! News items in PostgreSQL.
use super::{count, PostgresStore};
use crate::store::{News, NewsDraft, NewsItem};
use crate::Result;
use postgres::Row;

const COLUMNS: &str = "id, title, text, date, municipality, link, demo, author, created, updated";

fn item(r: &Row) -> Result<NewsItem> {
    Ok(NewsItem {
        id: r.try_get(0)?,
        draft: NewsDraft {
            title: r.try_get(1)?,
            text: r.try_get(2)?,
            date: r.try_get(3)?,
            municipality: r.try_get(4)?,
            link: r.try_get(5)?,
            demo: r.try_get(6)?,
        },
        author: r.try_get(7)?,
        created: r.try_get(8)?,
        updated: r.try_get(9)?,
    })
}

impl News for PostgresStore {
    fn add_news(&self, d: &NewsDraft, author: Option<i64>, now: i64) -> Result<NewsItem> {
        self.run(|conn| {
            let sql = format!(
                "INSERT INTO news(title, text, date, municipality, link, demo, author, created, updated)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING {COLUMNS}"
            );
            let row = conn.query_one(
                &sql,
                &[
                    &d.title,
                    &d.text,
                    &d.date,
                    &d.municipality,
                    &d.link,
                    &d.demo,
                    &author,
                    &now,
                ],
            )?;
            item(&row)
        })
    }

    fn update_news(&self, id: i64, d: &NewsDraft, now: i64) -> Result<Option<NewsItem>> {
        self.run(|conn| {
            let sql = format!(
                "UPDATE news SET title = $2, text = $3, date = $4, municipality = $5, link = $6,
                   demo = $7, updated = $8 WHERE id = $1 RETURNING {COLUMNS}"
            );
            let row = conn.query_opt(
                &sql,
                &[
                    &id,
                    &d.title,
                    &d.text,
                    &d.date,
                    &d.municipality,
                    &d.link,
                    &d.demo,
                    &now,
                ],
            )?;
            row.as_ref().map(item).transpose()
        })
    }

    fn delete_news(&self, id: i64) -> Result<bool> {
        self.run(|conn| Ok(conn.execute("DELETE FROM news WHERE id = $1", &[&id])? > 0))
    }

    fn news_item(&self, id: i64) -> Result<Option<NewsItem>> {
        self.run(|conn| {
            let sql = format!("SELECT {COLUMNS} FROM news WHERE id = $1");
            conn.query_opt(&sql, &[&id])?.as_ref().map(item).transpose()
        })
    }

    fn news(&self, municipality: Option<&str>, limit: usize) -> Result<Vec<NewsItem>> {
        self.run(|conn| {
            let sql = format!(
                "SELECT {COLUMNS} FROM news
                 WHERE $1::text IS NULL OR municipality = $1 OR municipality IS NULL
                 ORDER BY date DESC, id DESC LIMIT $2"
            );
            let limit = i64::try_from(limit).unwrap_or(i64::MAX);
            let rows = conn.query(&sql, &[&municipality, &limit])?;
            rows.iter().map(item).collect()
        })
    }

    fn news_count(&self) -> Result<usize> {
        self.run(|conn| {
            let n: i64 = conn
                .query_one("SELECT count(*) FROM news", &[])?
                .try_get(0)?;
            Ok(count(n))
        })
    }
}
