-- A word-frequency counter, for the render benchmark.
{-# LANGUAGE OverloadedStrings #-}
module Main (main) where

import Data.Char (isAlpha, toLower)
import Data.List (sortBy)
import qualified Data.Map.Strict as Map
import Data.Ord (Down (..), comparing)
import System.Environment (getArgs)

-- | A count of each word.
newtype Freq = Freq (Map.Map String Int)
  deriving (Show, Eq)

instance Semigroup Freq where
  Freq a <> Freq b = Freq (Map.unionWith (+) a b)

instance Monoid Freq where
  mempty = Freq Map.empty

data Options = Options
  { top :: !Int
  , minLength :: !Int
  } deriving (Show)

tokenize :: String -> [String]
tokenize = words . map (\c -> if isAlpha c then toLower c else ' ')

count :: Options -> String -> Freq
count opts = foldMap one . filter ((>= minLength opts) . length) . tokenize
  where
    one w = Freq (Map.singleton w 1)

report :: Options -> Freq -> [(String, Int)]
report Options {top = n} (Freq m) =
  take n $ sortBy (comparing (Down . snd) <> comparing fst) (Map.toList m)

main :: IO ()
main = do
  args <- getArgs
  let opts = case args of
        [n] -> Options (read n) 3
        _ -> Options 10 3
  text <- getContents
  mapM_ (\(w, c) -> putStrLn (w ++ "\t" ++ show c)) (report opts (count opts text))
  case report opts mempty of
    [] -> putStrLn "-- an empty count reports nothing"
    xs -> print (length xs)
